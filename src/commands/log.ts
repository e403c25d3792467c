import {Args, Flags} from '@oclif/core';
import {optionalCatalog} from '../core/catalog/optional.js';
import {formatDuration} from '../core/duration.js';
import type {Entry} from '../core/entry/types.js';
import {servicesLabel} from '../core/entry/services-label.js';
import {openJournal} from '../core/journal/open.js';
import {checkChannel, MAX_LOG_LIMIT} from '../core/limits.js';
import {printable} from '../core/printable.js';
import {withLiveness} from '../core/journal/liveness.js';
import {botIdentity, readChannelEntries} from '../core/mirror/read-back.js';
import {connection} from '../core/slack/connection.js';
import {SlackFailure} from '../core/slack/failure.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table, type Ui} from '../cli/ui.js';

const READ_TIMEOUT_MS = 5_000;

export default class Log extends FoggyCommand {
  static override summary = 'Show recorded runs, newest first.';
  static override description =
    'Reads entries back from the channel (from the metadata of foggy\'s messages) when Slack is connected, else from the local journal: when, who, where, verb, service, outcome and duration. When the channel cannot be read, it falls back to the journal and says so.';
  static override args = {
    service: Args.string({description: 'Only entries about this service.'}),
  };
  static override flags = {
    limit: Flags.integer({char: 'n', description: `How many entries to show (1 to ${MAX_LOG_LIMIT.toLocaleString('en-US')}).`, default: 20, min: 1, max: MAX_LOG_LIMIT}),
    local: Flags.boolean({description: 'Read the local journal even when Slack is connected.', default: false}),
    channel: Flags.string({description: 'The channel to read (default: as for the verbs).'}),
  };
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log web --limit 5', '<%= config.bin %> log --json', '<%= config.bin %> log --local'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Log);
    checkChannel(flags.channel);
    let source: 'channel' | 'journal' = 'journal';
    let entries: Entry[] | undefined;
    let skipped = 0;

    const slack = flags.local ? undefined : connection({channel: flags.channel, catalog: await optionalCatalog(flags.config)});
    if (slack?.channel) {
      try {
        const api = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS));
        const channelId = await slack.channels.id(slack.channel, api);
        const read = await this.ui.spin(`Reading ${slack.channel}…`, async () => readChannelEntries(api, channelId, {limit: flags.limit, service: args.service, bot: await botIdentity(api)}));
        entries = read.entries;
        skipped = read.skipped;
        source = 'channel';
      } catch (error) {
        const failure = error instanceof SlackFailure ? error : undefined;
        this.ui.warn(`Could not read ${slack.channel} (${failure?.code ?? (error as Error).message}); showing the local journal instead.${failure?.hint ? ` ${failure.hint}` : ''}`);
      }
    }
    if (!entries) {
      const journal = openJournal();
      entries = journal.recent(flags.limit, (entry) => args.service === undefined || entry.services.includes(args.service)).map((entry) => withLiveness(entry));
      if (journal.skipped > 0) this.ui.note(`Skipped ${journal.skipped} unreadable line${journal.skipped === 1 ? '' : 's'} in the journal (torn by a crash, or not foggy's records).`);
    }

    if (this.json) return this.printJson({source, channel: source === 'channel' ? slack?.channel : undefined, entries, skipped: source === 'channel' ? skipped : undefined});
    if (skipped > 0) this.ui.warn(`Skipped ${skipped} message${skipped === 1 ? '' : 's'} that looked like foggy entries but were not posted by foggy's bot, or were malformed.`);
    if (entries.length === 0) {
      this.ui.note(`No entries yet${args.service ? ` for ${args.service}` : ''} in the ${source === 'channel' ? `channel ${slack?.channel}` : 'local journal'}.`);
      return;
    }
    for (const line of table(entries.map((entry) => row(this.ui, entry)), ['WHEN', 'WHO', 'WHERE', 'VERB', 'SERVICE', 'OUTCOME', 'DURATION'])) {
      this.ui.out(line);
    }
    if (source === 'channel') this.ui.note(`From ${slack?.channel}.`);
  }
}

function row(ui: Ui, entry: Entry): string[] {
  const when = new Date(entry.startedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
  const outcomeColor = entry.outcome === 'succeeded' ? ui.color.green : entry.outcome === 'running' ? ui.color.cyan : ui.color.red;
  // Entries read from the channel are text from outside: shown, never obeyed.
  return [
    stamp,
    printable(`${entry.who.user}@${entry.who.host}`),
    printable(entry.where.kind === 'ci' ? (entry.where.ci?.name ?? 'CI') : 'terminal'),
    entry.verb,
    printable(servicesLabel(entry.services) || '-'),
    outcomeColor(entry.outcome.replace('_', ' ')),
    entry.durationMs === undefined ? '-' : formatDuration(entry.durationMs),
  ];
}
