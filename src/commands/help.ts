import {Args, loadHelpClass} from '@oclif/core';
import {usageError} from '../core/errors/foggy-error.js';
import {closest} from '../core/text/suggest.js';
import {HELP_TOPICS} from '../cli/help-topics.js';
import {FoggyCommand} from '../cli/foggy-command.js';

export default class Help extends FoggyCommand {
  static override summary = 'Help for a command, or a topic: exit-codes, environment, formatting.';
  static override strict = false;
  static override args = {
    command: Args.string({description: 'A command ("status", "log show") or a topic.'}),
  };
  static override examples = ['<%= config.bin %> help status', '<%= config.bin %> help exit-codes', '<%= config.bin %> help environment'];

  async run(): Promise<void> {
    const {argv} = await this.parse(Help);
    const words = (argv as string[]).filter((word) => !word.startsWith('-'));
    const topic = words.length === 1 ? HELP_TOPICS[words[0]] : undefined;
    if (topic) {
      this.log(topic.text);
      return;
    }
    const id = words.join(':');
    if (id && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      // An unknown name is a usage error like any other: one line, a suggestion, exit 2.
      const known = [...this.config.commandIDs.map((command) => command.split(':').join(' ')), ...Object.keys(HELP_TOPICS)];
      const guess = closest(words.join(' '), known)[0];
      throw usageError(`No command or help topic "${words.join(' ')}"${guess ? `; did you mean "${guess}"?` : '.'}`, `Run "${this.config.bin} help" to list them.`);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(words);
    if (words.length === 0) this.log(`HELP TOPICS\n${Object.entries(HELP_TOPICS).map(([name, {summary}]) => `  ${name.padEnd(12)} ${summary}`).join('\n')}\n\n  Run "${this.config.bin} help TOPIC".`);
  }
}
