import {findService} from '../catalog/lookup.js';
import type {Catalog, Service} from '../catalog/types.js';
import {whoLabel} from '../entry/context.js';
import type {Entry, Outcome, Verb} from '../entry/types.js';
export {OUTCOMES, VERBS} from '../entry/types.js';
import {usageError} from '../errors/foggy-error.js';
import type {JournalEntry} from '../journal/journal.js';
import {withLiveness} from '../journal/liveness.js';
import {openJournal} from '../journal/open.js';
import {botIdentity, readChannelEntries, unreadable} from '../mirror/read-back.js';
import type {Connection} from '../slack/connection.js';
import {SlackFailure} from '../slack/failure.js';
import {messageLink} from '../slack/permalinks.js';
import {sleep} from '../platform/sleep.js';
import type {AppContext} from './context.js';
import type {LogResult, LogShowResult} from './results.js';

const READ_TIMEOUT_MS = 5_000;
/** How often `log -f` looks for new entries: the journal is cheap to read; conversations.history allows about 50 calls a minute. */
const FOLLOW_JOURNAL_MS = 500;
const FOLLOW_CHANNEL_MS = 2_000;


export interface LogFilter {
  service?: string;
  verb?: Verb;
  outcome?: Outcome;
  /** Matches the OS user, user@host, the CI actor or the Slack user id, case-insensitively. */
  who?: string;
  /** Only entries started within this many milliseconds before now. */
  sinceMs?: number;
}

export interface LogRequest extends LogFilter {
  limit: number;
  /** The journal even when Slack is connected. */
  local?: boolean;
  channel?: string;
  configPath?: string;
}

/** One predicate for every source (journal, channel, follow). */
export function entryFilter(filter: LogFilter, now: Date): (entry: Entry) => boolean {
  const since = filter.sinceMs === undefined ? undefined : now.getTime() - filter.sinceMs;
  const who = filter.who?.toLowerCase();
  return (entry) =>
    (filter.service === undefined || entry.services.includes(filter.service)) &&
    (filter.verb === undefined || entry.verb === filter.verb) &&
    (filter.outcome === undefined || entry.outcome === filter.outcome) &&
    (since === undefined || Date.parse(entry.startedAt) >= since) &&
    (who === undefined || [entry.who.user, `${entry.who.user}@${entry.who.host}`, entry.who.actor, entry.who.slackUser, entry.who.name, whoLabel(entry.who)].some((name) => name?.toLowerCase() === who || (who.length > 2 && name?.toLowerCase().includes(who))));
}

interface Source {
  source: 'channel' | 'journal';
  channel?: string;
  read(limit: number, filter: (entry: Entry) => boolean): Promise<{entries: JournalEntry[]; skipped?: number}>;
}

/** The channel when Slack is connected (and --local not given), else the journal; a channel that cannot be read falls back, said so. */
async function openSource(app: AppContext, request: LogRequest, catalog: Catalog | undefined, services: Service[]): Promise<Source> {
  const journal: Source = {
    source: 'journal',
    async read(limit, filter) {
      const opened = openJournal(app.env);
      const entries = opened.recent(limit, filter).map((entry) => withLiveness(entry));
      if (opened.skipped > 0) app.io.note(`Skipped ${opened.skipped} unreadable line${opened.skipped === 1 ? '' : 's'} in the journal (torn by a crash, or not foggy's records).`);
      return {entries};
    },
  };
  const slack = request.local ? undefined : app.connection({channel: request.channel, catalog, services});
  if (!slack?.channel) return journal;
  const channel = slack.channel;
  try {
    const api = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS * 4));
    const [channelId, bot] = await Promise.all([slack.channels.id(channel, api), botIdentity(api)]);
    return {
      source: 'channel',
      channel,
      read: async (limit, filter) => {
        const fresh = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS * 4));
        return readChannelEntries(fresh, channelId, {limit, filter, bot});
      },
    };
  } catch (error) {
    const failure = error instanceof SlackFailure ? error : undefined;
    app.io.warn(unreadable(channel, error, 'showing the local journal instead'), ...(failure?.remedy ? [failure.remedy] : []));
    return journal;
  }
}

/** The service named, checked against the catalog: a typo gets a suggestion rather than an empty list. */
async function serviceScope(app: AppContext, request: LogRequest): Promise<{catalog?: Catalog; services: Service[]}> {
  const catalog = await app.optionalCatalog(request.configPath);
  if (request.service === undefined || !catalog) return {catalog, services: []};
  const service = catalog.services.get(request.service);
  if (service) return {catalog, services: [service]};
  // A service gone from the catalog still has its history; only a name nobody ever used is a typo.
  if (openJournal(app.env).recent(1, (entry) => entry.services.includes(request.service!)).length > 0) return {catalog, services: []};
  findService(catalog, request.service);
  return {catalog, services: []};
}

/** `foggy log`: recorded runs, newest first, filtered. */
export async function log(app: AppContext, request: LogRequest): Promise<LogResult> {
  const filter = entryFilter(request, app.now());
  const {catalog, services} = await serviceScope(app, request);
  const source = await openSource(app, request, catalog, services);
  try {
    const read = await app.io.progress(`Reading ${source.channel ?? 'the journal'}…`, () => source.read(request.limit, filter));
    return {source: source.source, channel: source.channel, entries: read.entries, skipped: source.source === 'channel' ? (read.skipped ?? 0) : undefined};
  } catch (error) {
    if (source.source === 'journal') throw error;
    const failure = error instanceof SlackFailure ? error : undefined;
    app.io.warn(unreadable(source.channel!, error, 'showing the local journal instead'), ...(failure?.remedy ? [failure.remedy] : []));
    return log(app, {...request, local: true});
  }
}

/**
 * `foggy log -f`: the newest entries, then each entry as it finishes, until the signal aborts.
 * `onEntries` gets them oldest first, each once.
 */
export async function followLog(app: AppContext, request: LogRequest, onEntries: (entries: JournalEntry[], source: LogResult) => void): Promise<void> {
  const filter = entryFilter(request, app.now());
  const {catalog, services} = await serviceScope(app, request);
  const source = await openSource(app, request, catalog, services);
  const shown = new Set<string>();
  const header: LogResult = {source: source.source, channel: source.channel, entries: []};
  let first = true;
  while (!app.signal.aborted) {
    try {
      const {entries} = await source.read(first ? request.limit : 200, filter);
      // A running entry is shown once it has finished: one line per run, with its outcome.
      const fresh = entries.filter((entry) => !shown.has(entry.id) && entry.outcome !== 'running').reverse();
      for (const entry of fresh) shown.add(entry.id);
      if (fresh.length > 0 || first) onEntries(fresh, header);
    } catch (error) {
      app.io.warn(`Could not read ${source.channel ?? 'the journal'} (${error instanceof SlackFailure ? error.code : (error as Error).message}); trying again.`);
    }
    first = false;
    await sleep(source.source === 'channel' ? FOLLOW_CHANNEL_MS : FOLLOW_JOURNAL_MS, app.signal).catch(() => {});
  }
}

/** `foggy log show ID`: one entry in full (id or unique prefix), with its kept output and its message's link. */
export async function showEntry(app: AppContext, request: {id: string; channel?: string; configPath?: string; local?: boolean}): Promise<LogShowResult> {
  const id = request.id.trim();
  if (!/^[\w-]{4,64}$/.test(id)) throw usageError(`Not an entry id: ${JSON.stringify(request.id)}`, {do: 'list-entries'});
  const journal = openJournal(app.env);
  const matches = journal.recent(2, (entry) => entry.id.startsWith(id));
  const exact = matches.find((entry) => entry.id === id);
  if (!exact && matches.length > 1) throw usageError(`"${id}" matches more than one entry: give more of the id.`);
  let entry: JournalEntry | undefined = exact ?? matches[0];
  let source: LogShowResult['source'] = 'journal';
  const catalog = request.local ? undefined : await app.optionalCatalog(request.configPath);
  const slack = request.local ? undefined : app.connection({channel: request.channel, catalog});

  if (!entry && slack?.channel) {
    // Not run on this machine: the channel may have it (a teammate's run, a CI job).
    const api = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS * 4));
    const [channelId, bot] = await Promise.all([slack.channels.id(slack.channel, api), botIdentity(api)]);
    const read = await readChannelEntries(api, channelId, {limit: 2, filter: (candidate) => candidate.id.startsWith(id), bot});
    if (read.entries.length > 1 && !read.entries.some((candidate) => candidate.id === id)) throw usageError(`"${id}" matches more than one entry: give more of the id.`);
    entry = read.entries.find((candidate) => candidate.id === id) ?? read.entries[0];
    source = 'channel';
  }
  if (!entry) throw usageError(`No entry "${id}" in the ${slack?.channel ? `journal or ${slack.channel}` : 'local journal'}.`, {do: 'list-entries'});

  const shown = source === 'journal' ? withLiveness(entry) : entry;
  const output = source === 'journal' && entry.output ? journal.readOutput(entry.id) : undefined;
  return {source, entry: shown, output, permalink: await permalink(slack, entry)};
}

async function permalink(slack: Connection | undefined, entry: JournalEntry): Promise<string | undefined> {
  const {channel, ts} = entry.delivery ?? {};
  if (!slack || !channel || !ts) return undefined;
  return messageLink(slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS)), channel, ts, slack.permalinks);
}
