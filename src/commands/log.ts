import {shellFlags} from '../grammar/shell-flags.js';
import type {LogRequest} from '../core/app/log.js';
import type {LogResult} from '../core/app/results.js';
import type {Entry} from '../core/entry/types.js';
import {logGrammar, logRequest} from '../grammar/verbs.js';
import {entryTable} from '../cli/render/entries.js';
import {renderLog} from '../cli/render/log.js';
import {FoggyCommand} from '../cli/foggy-command.js';

export default class Log extends FoggyCommand {
  static override summary = 'Show recorded runs, newest first; "foggy log show ID" shows one in full.';
  static override description =
    'Reads entries back from the channel (from the metadata of foggy\'s messages) when Slack is connected, else from the local journal: id, when, who, where, verb, service, outcome and duration. When the channel cannot be read, it falls back to the journal and says so. The channel read is the one a verb about the service posts to. With --follow it keeps running and prints each entry as it finishes, until Ctrl-C (exit 0); with --json, one JSON object per line.';
  static override args = logGrammar.args;
  static override flags = {
    ...logGrammar.flags,
    follow: shellFlags.follow,
    local: shellFlags.local,
    channel: {...shellFlags.channel, description: 'The channel to read (default: as for the verbs).'},
  };
  static override examples = [
    '<%= config.bin %> log',
    '<%= config.bin %> log web --limit 5',
    '<%= config.bin %> log --verb deploy --outcome failed --since 24h',
    '<%= config.bin %> log --who alice',
    '<%= config.bin %> log -f',
    '<%= config.bin %> log show mi9x3k2a1',
    '<%= config.bin %> log --json',
  ];

  async run(): Promise<LogResult | void> {
    const parsed = await this.parse(Log);
    const {args, flags} = parsed;
    const request: LogRequest = {...logRequest(parsed), local: flags.local, channel: flags.channel, configPath: flags.config};
    if (flags.follow) return this.follow(request);

    const result = await this.foggy.log(request);
    if (this.json) {
      this.printJson(result);
      return result;
    }
    renderLog(this.ui, result, request, args.service);
    return result;
  }

  private async follow(request: LogRequest): Promise<void> {
    this.trapInterrupts();
    let header = !this.json;
    await this.foggy.followLog(request, (entries: Entry[], source) => {
      if (this.json) {
        for (const entry of entries) this.ui.jsonLine(entry);
        return;
      }
      if (header) this.ui.note(`Following ${source.source === 'channel' ? source.channel : 'the local journal'}; Ctrl-C to stop.`);
      for (const line of entryTable(this.ui, entries, header)) this.ui.out(line);
      header = false;
    });
  }
}
