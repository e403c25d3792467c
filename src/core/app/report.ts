import {findService} from '../catalog/lookup.js';
import type {Catalog} from '../catalog/types.js';
import {commitTimes} from '../entry/commit-time.js';
import {usageError} from '../errors/foggy-error.js';
import type {JournalRecord} from '../journal/journal.js';
import {openJournal} from '../journal/open.js';
import {botIdentity, readChannelPeriod, unreadable} from '../mirror/read-back.js';
import {REPORTED_VERBS, RunCollector} from '../report/collect.js';
import {counts, fourKeys, RULES, weeks, type Run} from '../report/metrics.js';
import {quietTime} from '../report/quiet-time.js';
import {DEFAULT_WATCH} from '../catalog/defaults.js';
import {SlackFailure} from '../slack/failure.js';
import type {AppContext} from './context.js';
import type {ReportResult, Skipped} from './results.js';

export interface ReportRequest {
  /** Only these services; all when empty. */
  services: string[];
  /** The period: the last `sinceMs` before `to` (default 30 days), or from `from`. Epoch milliseconds. */
  sinceMs?: number;
  from?: number;
  to?: number;
  /** The journal even when Slack is connected. */
  local?: boolean;
  channel?: string;
  configPath?: string;
}

export const DEFAULT_REPORT_MS = 30 * 86_400_000;
/** The channel is read this far before the period, for incidents opened before it and resolved within it. */
const CHANNEL_LOOKBACK_MS = 30 * 86_400_000;

/**
 * `foggy report`: DORA's four keys from the team's own record, with the counts behind every number. From the
 * channel when connected (it holds every machine's runs), else from the journal, reading back only as far as
 * the period (and its incidents) needs.
 */
export async function report(app: AppContext, request: ReportRequest): Promise<ReportResult> {
  const period = periodOf(request, app.now().getTime());
  const catalog = await app.optionalCatalog(request.configPath);
  for (const name of request.services) if (catalog && !catalog.services.has(name)) findService(catalog, name);
  const collector = new RunCollector(request.services.length > 0 ? new Set(request.services) : undefined);

  const slack = request.local ? undefined : app.connection({channel: request.channel, catalog, services: catalog ? request.services.map((name) => catalog.services.get(name)!).filter(Boolean) : []});
  let source: Pick<ReportResult, 'source' | 'channel'> & {since: number; malformed: number} | undefined;
  if (slack?.channel) {
    try {
      const api = slack.api(10_000, app.signal);
      const [channelId, bot] = await Promise.all([slack.channels.id(slack.channel, api), botIdentity(api)]);
      const since = period.from - CHANNEL_LOOKBACK_MS;
      const read = await app.io.progress(`Reading ${slack.channel} since ${new Date(since).toISOString().slice(0, 10)}…`, () =>
        readChannelPeriod(api, channelId, {oldest: since, bot, onEntry: (entry) => (Date.parse(entry.startedAt) < period.to ? collector.add(entry) : undefined)}),
      );
      source = {source: 'channel', channel: slack.channel, since, malformed: read.skipped};
    } catch (error) {
      const failure = error instanceof SlackFailure ? error : undefined;
      app.io.warn(unreadable(slack.channel, error, 'reporting from the local journal instead'), ...(failure?.remedy ? [failure.remedy] : []));
    }
  }
  source ??= readJournal(app, collector, period);

  const read = collector.all();
  await addCommitTimes(read, catalog);
  const serviceNames = request.services.length > 0 ? request.services : [...new Set(read.filter((run) => run.verb !== 'silence').map((run) => run.service))].sort();
  // Planned downtime is not an incident to restore from: deploys' grace, silences and windows are counted apart.
  const {quiet, counted: runs} = quietTime(read, {graceMs: (service) => catalog?.services.get(service)?.watch.graceAfterActionMs ?? DEFAULT_WATCH.graceAfterActionMs, windows: catalog?.maintenance ?? []}, period, catalog ? [...catalog.services.keys()] : serviceNames);
  const inPeriod = (run: Run) => run.startedAt >= period.from && run.startedAt < period.to;
  const skipped: Skipped = {
    refused: runs.filter((run) => run.verb !== 'incident' && run.outcome === 'refused' && inPeriod(run)).length,
    unknownOutcome: runs.filter((run) => run.verb === 'deploy' && run.outcome === 'unknown' && inPeriod(run)).length,
    running: runs.filter((run) => run.verb === 'deploy' && run.outcome === 'running' && inPeriod(run)).length,
    malformed: source.malformed + collector.malformed,
    duplicates: collector.duplicates,
    dryRuns: 0,
  };
  return {
    source: source.source,
    channel: source.channel,
    period: {from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), days: Math.round(((period.to - period.from) / 86_400_000) * 100) / 100},
    read: {since: new Date(Math.min(source.since, period.from)).toISOString(), entries: collector.read},
    services: request.services,
    overall: fourKeys(runs, period),
    perService: serviceNames.map((service) => ({service, ...fourKeys(runs.filter((run) => run.service === service), period)})),
    counts: {...counts(runs, period), skipped},
    weeks: weeks(runs, period),
    quiet,
    rules: RULES,
  };
}

export function periodOf(request: Pick<ReportRequest, 'sinceMs' | 'from' | 'to'>, now: number): {from: number; to: number} {
  const to = request.to ?? now;
  const from = request.from ?? to - (request.sinceMs ?? DEFAULT_REPORT_MS);
  if (!(from < to)) throw usageError(`The period is empty: it starts ${new Date(from).toISOString()} and ends ${new Date(to).toISOString()}.`, 'Give a start before its end.');
  return {from, to};
}

/**
 * The journal, from its end back to the period's start, and on only while an incident's end has been read
 * whose start has not (opened before the period, resolved within it).
 */
function readJournal(app: AppContext, collector: RunCollector, period: {from: number; to: number}): {source: 'journal'; since: number; malformed: number} {
  const journal = openJournal(app.env);
  let since = period.from;
  journal.readBackwards(
    (entry, unmatched) => {
      const startedAt = Date.parse(entry.startedAt);
      if (!(startedAt >= period.to)) collector.add(entry);
      if (startedAt >= period.from || Number.isNaN(startedAt)) return true;
      since = Math.min(since, startedAt);
      return openIncidentEnds(unmatched);
    },
    {verbs: REPORTED_VERBS},
  );
  return {source: 'journal', since, malformed: journal.skipped};
}

/** Whether ends of incidents are still waiting for their starts. */
function openIncidentEnds(unmatched: ReadonlyMap<string, JournalRecord[]>): boolean {
  for (const records of unmatched.values()) if (records.some((record) => record.kind === 'end' && (record.end.outcome === 'resolved' || record.end.incident !== undefined))) return true;
  return false;
}

/** Deploys recorded before commit times were: their commits' times from the catalog's git repository. */
async function addCommitTimes(runs: Run[], catalog: Catalog | undefined): Promise<void> {
  const missing = runs.filter((run) => run.verb === 'deploy' && run.outcome === 'succeeded' && run.commit && run.committedAt === undefined);
  if (missing.length === 0 || !catalog) return;
  const times = await commitTimes(catalog.dir, missing.map((run) => run.commit!));
  for (const run of missing) {
    const at = times.get(run.commit!);
    if (at !== undefined) run.committedAt = at;
  }
}
