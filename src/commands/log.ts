import {Args, Flags} from '@oclif/core';
import {OUTCOMES, VERBS} from '../core/app/log.js';
import type {LogRequest} from '../core/app/log.js';
import type {Entry, Outcome, Verb} from '../core/entry/types.js';
import {MAX_LOG_LIMIT} from '../core/limits.js';
import {entryTable} from '../cli/render/entries.js';
import {FoggyCommand} from '../cli/foggy-command.js';

export default class Log extends FoggyCommand {
  static override summary = 'Show recorded runs, newest first; "foggy log show ID" shows one in full.';
  static override description =
    'Reads entries back from the channel (from the metadata of foggy\'s messages) when Slack is connected, else from the local journal: id, when, who, where, verb, service, outcome and duration. When the channel cannot be read, it falls back to the journal and says so. The channel read is the one a verb about the service posts to. With --follow it keeps running and prints each entry as it finishes, until Ctrl-C (exit 0); with --json, one JSON object per line.';
  static override args = {
    service: Args.string({description: 'Only entries about this service.'}),
  };
  static override flags = {
    limit: Flags.integer({char: 'n', description: `How many entries to show (1 to ${MAX_LOG_LIMIT.toLocaleString('en-US')}).`, default: 20, min: 1, max: MAX_LOG_LIMIT}),
    verb: Flags.string({description: 'Only this verb.', options: [...VERBS]}),
    outcome: Flags.string({description: 'Only this outcome.', options: [...OUTCOMES]}),
    who: Flags.string({description: 'Only runs by this person (login, user@host, CI actor or Slack user id).'}),
    since: Flags.string({description: 'Only runs started within this long (30m, 24h, 7d).'}),
    follow: Flags.boolean({char: 'f', description: 'Keep running and print entries as they finish.', default: false}),
    local: Flags.boolean({description: 'Read the local journal even when Slack is connected.', default: false}),
    channel: Flags.string({description: 'The channel to read (default: as for the verbs).'}),
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

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Log);
    const request: LogRequest = {
      service: args.service,
      limit: flags.limit,
      verb: flags.verb as Verb | undefined,
      outcome: flags.outcome as Outcome | undefined,
      who: flags.who,
      since: flags.since,
      local: flags.local,
      channel: flags.channel,
      configPath: flags.config,
    };
    if (flags.follow) return this.follow(request);

    const result = await this.foggy.log(request);
    if (this.json) return this.printJson(result);
    if (result.skipped) this.ui.warn(`Skipped ${result.skipped} message${result.skipped === 1 ? '' : 's'} that looked like foggy entries but were not posted by foggy's bot, or were malformed.`);
    if (result.entries.length === 0) {
      this.ui.note(`No entries yet${args.service ? ` for ${args.service}` : ''}${filtered(request) ? ' matching the filters' : ''} in the ${result.source === 'channel' ? `channel ${result.channel}` : 'local journal'}.`);
      return;
    }
    for (const line of entryTable(this.ui, result.entries)) this.ui.out(line);
    if (result.source === 'channel') this.ui.note(`From ${result.channel}.`);
  }

  private async follow(request: LogRequest): Promise<void> {
    this.trapInterrupts();
    let header = !this.json;
    await this.foggy.followLog(request, (entries: Entry[], source) => {
      if (this.json) {
        for (const entry of entries) process.stdout.write(JSON.stringify(entry) + '\n');
        return;
      }
      if (header) this.ui.note(`Following ${source.source === 'channel' ? source.channel : 'the local journal'}; Ctrl-C to stop.`);
      for (const line of entryTable(this.ui, entries, header)) this.ui.out(line);
      header = false;
    });
  }
}

function filtered(request: LogRequest): boolean {
  return Boolean(request.verb || request.outcome || request.who || request.since);
}
