import type {Outcome} from '../entry/types.js';

/**
 * DORA's four keys from foggy's own record, each with the counts behind it, so that every number can be
 * traced to the entries it counted. Pure: records and a period in, the report's figures out.
 */

/** What the report keeps of an entry: a few fields, whatever the history's size. */
export interface Run {
  id: string;
  verb: 'deploy' | 'restart' | 'rollback' | 'incident' | 'silence';
  service: string;
  outcome: Outcome;
  startedAt: number;
  endedAt?: number;
  commit?: string;
  /** The deployed commit's time (recorded at deploy time, or found in the git repository). */
  committedAt?: number;
  /** An incident opened as a quiet time ended with the service still down: a real one, though it began inside. */
  began?: boolean;
  /** A rollback: the deploy it undid. */
  rollbackOf?: string;
  /** A silence: what it quieted, from when until when; or, with `end`, the silence it ended. */
  silence?: {id: string; services: string[]; from: number; until: number; end?: 'early' | 'on time'};
}

export interface Period {
  from: number;
  to: number;
}

export type Band = 'elite' | 'high' | 'medium' | 'low' | 'no data';

export interface DeploymentFrequency {
  /** Successful deploys in the period. */
  deploys: number;
  days: number;
  perDay: number | null;
  perWeek: number | null;
  band: Band;
}

export interface LeadTime {
  medianMs: number | null;
  p90Ms: number | null;
  /** Successful deploys whose commit time is known, and those without (no commit recorded, or its time unknown). */
  withCommitTime: number;
  withoutCommitTime: number;
  band: Band;
}

export interface FailingDeploy {
  id: string;
  service: string;
  why: 'failed' | 'restart' | 'incident' | 'rollback';
  /** The restart, incident or rollback that made it count. */
  by?: string;
}

export interface ChangeFailureRate {
  failing: number;
  /** Deploys that finished (succeeded or failed) in the period. */
  deploys: number;
  rate: number | null;
  band: Band;
  failingDeploys: FailingDeploy[];
}

export interface TimeToRestore {
  medianMs: number | null;
  p90Ms: number | null;
  /** Incidents resolved in the period. */
  resolved: number;
  /** Deploys rolled back in the period (the rollback succeeded) with no incident of their own measuring them. */
  rolledBack: number;
  /** Incidents still open at the period's end, counted apart. */
  open: number;
  band: Band;
}

export interface FourKeys {
  deploymentFrequency: DeploymentFrequency;
  leadTime: LeadTime;
  changeFailureRate: ChangeFailureRate;
  timeToRestore: TimeToRestore;
}

export interface Counts {
  deploys: Partial<Record<Outcome, number>>;
  restarts: number;
  incidents: {opened: number; resolved: number; open: number};
}

export interface Week {
  start: string;
  deploys: number;
  failed: number;
  incidents: number;
}

export const RULES = {
  deploymentFrequency: 'successful deploys started in the period, per day and per week',
  leadTime: "from the deployed commit's time to the deploy's end, for successful deploys whose entry names a commit whose time is known",
  changeFailureRate:
    'deploys that failed (failed, timed out or interrupted), or were followed by a restart of the same service, an incident on it or a rollback of it before its next deploy (or the period\'s end), over the deploys that finished in the period',
  timeToRestore:
    "incidents resolved in the period, from opened to resolved; and deploys rolled back in the period, from the deploy's start to the rollback's success, unless an incident of the service opened in between (that incident measures it); incidents still open at its end are counted apart",
  quiet:
    "deploys, restarts and rollbacks while they ran (and for watch.grace_after_action after one that succeeded), silences and maintenance windows are quiet time: an incident opened inside it is left out of every key, unless it opened as the quiet ended with the service still down",
} as const;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FAILED: ReadonlySet<Outcome> = new Set(['failed', 'timed_out', 'interrupted']);

const inPeriod = (at: number, period: Period) => at >= period.from && at < period.to;

/** The value at the p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** DORA 2023: on demand (several a day), daily to weekly, weekly to monthly, less than monthly. */
export function frequencyBand(perDay: number): Band {
  if (perDay > 1) return 'elite';
  if (perDay * 7 >= 1) return 'high';
  if (perDay * 30 >= 1) return 'medium';
  return 'low';
}

/** DORA 2023: less than a day, a day to a week, a week to a month, more. */
export function leadTimeBand(ms: number): Band {
  if (ms < DAY) return 'elite';
  if (ms <= 7 * DAY) return 'high';
  if (ms <= 30 * DAY) return 'medium';
  return 'low';
}

/** DORA 2023: 5%, 10%, 15%, more. */
export function failureBand(rate: number): Band {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

/** DORA 2023: less than an hour, less than a day, less than a week, more. */
export function restoreBand(ms: number): Band {
  if (ms < HOUR) return 'elite';
  if (ms < DAY) return 'high';
  if (ms < 7 * DAY) return 'medium';
  return 'low';
}

/** The four keys over these runs (all read, some before the period for context), for the period. */
export function fourKeys(runs: Run[], period: Period): FourKeys {
  const days = (period.to - period.from) / DAY;
  // In the order they started, whatever order they were read in: the failing deploys are listed that way.
  const deploys = runs.filter((run) => run.verb === 'deploy' && inPeriod(run.startedAt, period)).sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
  const succeeded = deploys.filter((run) => run.outcome === 'succeeded');
  const finished = deploys.filter((run) => run.outcome === 'succeeded' || FAILED.has(run.outcome));

  const perDay = succeeded.length / days;
  const deploymentFrequency: DeploymentFrequency =
    finished.length === 0
      ? {deploys: 0, days, perDay: null, perWeek: null, band: 'no data'}
      : {deploys: succeeded.length, days, perDay, perWeek: perDay * 7, band: frequencyBand(perDay)};

  // A commit time after the deploy's end (clocks out of order) says nothing about lead time: left out, counted without.
  const leads = succeeded
    .filter((run) => run.committedAt !== undefined && run.endedAt !== undefined && run.endedAt >= run.committedAt)
    .map((run) => run.endedAt! - run.committedAt!)
    .sort((a, b) => a - b);
  const leadMedian = median(leads);
  const leadTime: LeadTime = {medianMs: leadMedian, p90Ms: percentile(leads, 90), withCommitTime: leads.length, withoutCommitTime: succeeded.length - leads.length, band: leadMedian === null ? 'no data' : leadTimeBand(leadMedian)};

  const byService = groupByService(runs);
  const failingDeploys = failingOf(byService, period);
  const rate = finished.length === 0 ? null : failingDeploys.length / finished.length;
  const changeFailureRate: ChangeFailureRate = {failing: failingDeploys.length, deploys: finished.length, rate, band: rate === null ? 'no data' : failureBand(rate), failingDeploys};

  const incidentRestores = runs.filter((run) => run.verb === 'incident' && run.outcome === 'resolved' && run.endedAt !== undefined && inPeriod(run.endedAt, period)).map((run) => Math.max(0, run.endedAt! - run.startedAt));
  const rollbackRestores = rolledBack(runs, byService, period);
  const restored = [...incidentRestores, ...rollbackRestores].sort((a, b) => a - b);
  const open = runs.filter((run) => run.verb === 'incident' && run.outcome === 'running' && run.startedAt < period.to).length;
  const restoreMedian = median(restored);
  const timeToRestore: TimeToRestore = {medianMs: restoreMedian, p90Ms: percentile(restored, 90), resolved: incidentRestores.length, rolledBack: rollbackRestores.length, open, band: restoreMedian === null ? 'no data' : restoreBand(restoreMedian)};

  return {deploymentFrequency, leadTime, changeFailureRate, timeToRestore};
}

/**
 * Restores by rollback: each rollback that succeeded in the period, from the start of the deploy it undid to its
 * own end, unless an incident of the service opened in between (that incident's own restore measures it).
 */
function rolledBack(runs: Run[], byService: Map<string, Run[]>, period: Period): number[] {
  // Only the deploys some rollback names are looked up: most records have no rollback at all.
  const named = new Set(runs.filter((run) => run.verb === 'rollback' && run.rollbackOf).map((run) => run.rollbackOf!));
  if (named.size === 0) return [];
  const byId = new Map(runs.filter((run) => named.has(run.id)).map((run) => [run.id, run]));
  const restores: number[] = [];
  for (const rollback of runs) {
    if (rollback.verb !== 'rollback' || rollback.outcome !== 'succeeded' || rollback.endedAt === undefined || !inPeriod(rollback.endedAt, period) || !rollback.rollbackOf) continue;
    const deploy = byId.get(rollback.rollbackOf);
    if (!deploy || deploy.verb !== 'deploy' || deploy.service !== rollback.service) continue;
    const measuredByIncident = (byService.get(rollback.service) ?? []).some((run) => run.verb === 'incident' && run.startedAt >= deploy.startedAt && run.startedAt <= rollback.endedAt!);
    if (!measuredByIncident) restores.push(Math.max(0, rollback.endedAt - deploy.startedAt));
  }
  return restores;
}

/** Each service's runs, in the order they started: a deploy is compared with its own service's runs only. */
function groupByService(runs: Run[]): Map<string, Run[]> {
  const byService = new Map<string, Run[]>();
  for (const run of runs) {
    const list = byService.get(run.service);
    if (list) list.push(run);
    else byService.set(run.service, [run]);
  }
  for (const list of byService.values()) list.sort((a, b) => a.startedAt - b.startedAt);
  return byService;
}

/** The finished deploys of the period that count as change failures, in the order they started. */
function failingOf(byService: Map<string, Run[]>, period: Period): FailingDeploy[] {
  const failing: {at: number; id: string; failure: FailingDeploy}[] = [];
  for (const list of byService.values()) {
    list.forEach((run, at) => {
      if (run.verb !== 'deploy' || !inPeriod(run.startedAt, period) || !(run.outcome === 'succeeded' || FAILED.has(run.outcome))) return;
      const failure = failureOf(run, list, at, period);
      if (failure) failing.push({at: run.startedAt, id: run.id, failure});
    });
  }
  return failing.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((item) => item.failure);
}

/** Why a finished deploy counts as a change failure, if it does (`runs`: its service's, in start order). */
function failureOf(deploy: Run, runs: Run[], at: number, period: Period): FailingDeploy | undefined {
  if (FAILED.has(deploy.outcome)) return {id: deploy.id, service: deploy.service, why: 'failed'};
  const after = deploy.endedAt ?? deploy.startedAt;
  // From the deploy on, in start order, until its service's next deploy (or the period's end).
  for (let i = at + 1; i < runs.length; i++) {
    const run = runs[i];
    if (run.startedAt >= period.to || (run.verb === 'deploy' && run.outcome !== 'refused')) break;
    if (run.startedAt < after) continue;
    if (run.verb === 'restart' && run.outcome !== 'refused') return {id: deploy.id, service: deploy.service, why: 'restart', by: run.id};
    if (run.verb === 'incident') return {id: deploy.id, service: deploy.service, why: 'incident', by: run.id};
    if (run.verb === 'rollback' && run.outcome !== 'refused' && (run.rollbackOf === undefined || run.rollbackOf === deploy.id)) return {id: deploy.id, service: deploy.service, why: 'rollback', by: run.id};
  }
  return undefined;
}

export function counts(runs: Run[], period: Period): Counts {
  const deploys: Partial<Record<Outcome, number>> = {};
  for (const run of runs) if (run.verb === 'deploy' && inPeriod(run.startedAt, period)) deploys[run.outcome] = (deploys[run.outcome] ?? 0) + 1;
  return {
    deploys,
    restarts: runs.filter((run) => run.verb === 'restart' && inPeriod(run.startedAt, period) && run.outcome !== 'refused').length,
    incidents: {
      opened: runs.filter((run) => run.verb === 'incident' && inPeriod(run.startedAt, period)).length,
      resolved: runs.filter((run) => run.verb === 'incident' && run.outcome === 'resolved' && run.endedAt !== undefined && inPeriod(run.endedAt, period)).length,
      open: runs.filter((run) => run.verb === 'incident' && run.outcome === 'running' && run.startedAt < period.to).length,
    },
  };
}

/** Seven-day weeks from the period's start: successful and failed deploys, incidents opened. */
export function weeks(runs: Run[], period: Period): Week[] {
  const count = Math.max(1, Math.ceil((period.to - period.from) / (7 * DAY)));
  const result: Week[] = Array.from({length: count}, (_, i) => ({start: new Date(period.from + i * 7 * DAY).toISOString().slice(0, 10), deploys: 0, failed: 0, incidents: 0}));
  for (const run of runs) {
    if (!inPeriod(run.startedAt, period)) continue;
    const week = result[Math.min(count - 1, Math.floor((run.startedAt - period.from) / (7 * DAY)))];
    if (run.verb === 'deploy' && run.outcome === 'succeeded') week.deploys++;
    else if (run.verb === 'deploy' && FAILED.has(run.outcome)) week.failed++;
    else if (run.verb === 'incident') week.incidents++;
  }
  return result;
}
