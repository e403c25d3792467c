import {Args, Command, loadHelpClass} from '@oclif/core';
import {HELP_TOPICS} from '../cli/help-topics.js';

export default class Help extends Command {
  static override summary = 'Help for a command, or a topic: exit-codes, environment, formatting.';
  static override strict = false;
  static override args = {
    command: Args.string({description: 'A command ("status", "log show") or a topic.'}),
  };
  static override examples = ['<%= config.bin %> help status', '<%= config.bin %> help exit-codes', '<%= config.bin %> help environment'];

  async run(): Promise<void> {
    const {argv} = await this.parse(Help);
    const words = argv as string[];
    const topic = words.length === 1 ? HELP_TOPICS[words[0]] : undefined;
    if (topic) {
      this.log(topic.text);
      return;
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(words);
    if (words.length === 0) this.log(`HELP TOPICS\n${Object.entries(HELP_TOPICS).map(([name, {summary}]) => `  ${name.padEnd(12)} ${summary}`).join('\n')}\n\n  Run "${this.config.bin} help TOPIC".`);
  }
}
