import {Args, Flags} from '@oclif/core';
import {entryDetails} from '../../cli/render/entries.js';
import {FoggyCommand} from '../../cli/foggy-command.js';

export default class LogShow extends FoggyCommand {
  static override summary = 'Show one entry in full: every field, the output it kept, and the link to its Slack message.';
  static override description = 'ID is the id "foggy log" shows, or a unique prefix of it. The entry comes from the local journal, or from the channel when it was recorded elsewhere (a teammate, a CI job).';
  static override args = {
    id: Args.string({description: 'The entry id (or a unique prefix).', required: true}),
  };
  static override flags = {
    local: Flags.boolean({description: 'Look only in the local journal.', default: false}),
    channel: Flags.string({description: 'The channel to look in (default: as for the verbs).'}),
  };
  static override examples = ['<%= config.bin %> log show mi9x3k2a1', '<%= config.bin %> log show mi9x --json'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(LogShow);
    const result = await this.foggy.showEntry({id: args.id, channel: flags.channel, configPath: flags.config, local: flags.local});
    if (this.json) return this.printJson(result);
    for (const line of entryDetails(this.ui, result.entry, result)) this.ui.out(line);
  }
}
