import {occurrences, type MaintenanceWindow} from '../quiet/maintenance.js';
import type {Period, Run} from './metrics.js';

/**
 * Planned downtime, from the record and the catalog: deploys, restarts and rollbacks (while they ran, and the
 * grace after one that succeeded), silences, and maintenance windows. An incident opened inside such a time is
 * not one to restore from (an older watcher, which did not know the deploy, may have opened it); one opened as
 * the quiet ended, with the service still down, is (it says so: it "began" with it). Pure, like the keys.
 */

export interface QuietTime {
  /** Deploys, restarts and rollbacks that ran in the period, and their running time plus grace, merged per service. */
  actions: {runs: number; ms: number};
  silences: {count: number; ms: number};
  windows: {count: number; ms: number};
  /** Incidents opened inside quiet time: left out of the keys. */
  incidentsLeftOut: number;
}

export interface QuietRules {
  graceMs(service: string): number;
  windows: readonly MaintenanceWindow[];
}

type Interval = [number, number];

function clip([from, to]: Interval, period: Period): Interval | undefined {
  const start = Math.max(from, period.from);
  const end = Math.min(to, period.to);
  return end > start ? [start, end] : undefined;
}

/** Total length of intervals, overlaps counted once. */
function covered(intervals: Interval[]): number {
  let total = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (to <= reach) continue;
    total += to - Math.max(from, reach);
    reach = to;
  }
  return total;
}

const ACTIONS = new Set(['deploy', 'restart', 'rollback']);

/** Each service's quiet intervals (unclipped), by kind. */
function intervals(runs: Run[], rules: QuietRules, services: string[], span: Period): {actions: Map<string, Interval[]>; silences: Map<string, Interval[]>; windows: Map<string, Interval[]>} {
  const add = (map: Map<string, Interval[]>, service: string, interval: Interval) => {
    const list = map.get(service);
    if (list) list.push(interval);
    else map.set(service, [interval]);
  };
  const actions = new Map<string, Interval[]>();
  const silences = new Map<string, Interval[]>();
  const windows = new Map<string, Interval[]>();
  for (const run of runs) {
    if (ACTIONS.has(run.verb) && run.outcome !== 'refused' && run.endedAt !== undefined) {
      add(actions, run.service, [run.startedAt, run.endedAt + (run.outcome === 'succeeded' ? rules.graceMs(run.service) : 0)]);
    }
    if (run.verb === 'silence' && run.silence) for (const service of run.silence.services) add(silences, service, [run.silence.from, run.silence.until]);
  }
  for (const window of rules.windows) {
    for (const occurrence of occurrences(window, span.from, span.to)) for (const service of window.services ?? services) add(windows, service, [occurrence.from, occurrence.to]);
  }
  return {actions, silences, windows};
}

/**
 * The quiet time of the period, and the runs the keys should count: incidents inside quiet time left out
 * (and counted as such).
 */
export function quietTime(runs: Run[], rules: QuietRules, period: Period, services: string[]): {quiet: QuietTime; counted: Run[]} {
  // Silences end early by an end entry of their own: the set entry's end moves to it.
  const silences = settleSilences(runs);
  const all = [...runs.filter((run) => run.verb !== 'silence'), ...silences];
  const span = {from: Math.min(period.from, ...all.map((run) => run.startedAt)), to: period.to};
  const byKind = intervals(all, rules, services, span);
  const quietAt = (service: string, at: number) =>
    [byKind.actions, byKind.silences, byKind.windows].some((map) => (map.get(service) ?? []).some(([from, to]) => from <= at && at < to));

  const counted = all.filter((run) => !(run.verb === 'incident' && !run.began && quietAt(run.service, run.startedAt)));
  const leftOut = all.filter((run) => run.verb === 'incident' && !run.began && quietAt(run.service, run.startedAt) && run.startedAt >= period.from && run.startedAt < period.to).length;
  const total = (map: Map<string, Interval[]>) => [...map.values()].reduce((sum, list) => sum + covered(list.map((interval) => clip(interval, period)).filter((i): i is Interval => i !== undefined)), 0);
  const inPeriod = (interval: Interval) => clip(interval, period) !== undefined;
  return {
    counted,
    quiet: {
      actions: {runs: all.filter((run) => ACTIONS.has(run.verb) && run.outcome !== 'refused' && run.endedAt !== undefined && inPeriod([run.startedAt, run.endedAt])).length, ms: total(byKind.actions)},
      silences: {count: silences.filter((run) => run.silence && inPeriod([run.silence.from, run.silence.until])).length, ms: total(byKind.silences)},
      windows: {count: [...new Set([...byKind.windows.values()].flat().filter(inPeriod).map(([from]) => from))].length, ms: total(byKind.windows)},
      incidentsLeftOut: leftOut,
    },
  };
}

/** The silences set, each ending when its end entry (if any) says. */
function settleSilences(runs: Run[]): Run[] {
  const ends = new Map<string, number>();
  for (const run of runs) if (run.verb === 'silence' && run.silence?.end === 'early') ends.set(run.silence.id, Math.min(ends.get(run.silence.id) ?? Number.POSITIVE_INFINITY, run.silence.until));
  return runs
    .filter((run) => run.verb === 'silence' && run.silence && !run.silence.end && run.outcome === 'succeeded')
    .map((run) => ({...run, silence: {...run.silence!, until: Math.min(run.silence!.until, ends.get(run.silence!.id) ?? Number.POSITIVE_INFINITY)}}));
}
