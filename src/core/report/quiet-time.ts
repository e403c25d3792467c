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

const ACTIONS = new Set(['deploy', 'restart', 'rollback']);

/**
 * Each service's quiet intervals (unclipped), by kind, as flat lists [from, to, from, to, …]: a year holds tens of
 * thousands of deploys, and a pair of numbers costs less than an array of two.
 */
type Flat = number[];

function intervals(runs: Run[], rules: QuietRules, services: string[], span: Period): {actions: Map<string, Flat>; silences: Map<string, Flat>; windows: Map<string, Flat>} {
  const add = (map: Map<string, Flat>, service: string, from: number, to: number) => {
    const list = map.get(service);
    if (list) list.push(from, to);
    else map.set(service, [from, to]);
  };
  const actions = new Map<string, Flat>();
  const silences = new Map<string, Flat>();
  const windows = new Map<string, Flat>();
  for (const run of runs) {
    if (ACTIONS.has(run.verb) && run.outcome !== 'refused' && run.endedAt !== undefined) {
      add(actions, run.service, run.startedAt, run.endedAt + (run.outcome === 'succeeded' ? rules.graceMs(run.service) : 0));
    }
    if (run.verb === 'silence' && run.silence) for (const service of run.silence.services) add(silences, service, run.silence.from, run.silence.until);
  }
  for (const window of rules.windows) {
    for (const occurrence of occurrences(window, span.from, span.to)) for (const service of window.services ?? services) add(windows, service, occurrence.from, occurrence.to);
  }
  return {actions, silences, windows};
}

/** The union of flat intervals, sorted: [from, to, …] with no two overlapping or touching. */
function union(flat: Flat): Flat {
  const order = Array.from({length: flat.length / 2}, (_, i) => i).sort((a, b) => flat[2 * a] - flat[2 * b]);
  const merged: Flat = [];
  for (const i of order) {
    const from = flat[2 * i];
    const to = flat[2 * i + 1];
    if (merged.length > 0 && from <= merged.at(-1)!) merged[merged.length - 1] = Math.max(merged.at(-1)!, to);
    else merged.push(from, to);
  }
  return merged;
}

/** Total length of flat intervals inside the period, overlaps counted once. */
function coveredIn(flat: Flat, period: Period): number {
  const merged = union(flat);
  let total = 0;
  for (let i = 0; i < merged.length; i += 2) total += Math.max(0, Math.min(merged[i + 1], period.to) - Math.max(merged[i], period.from));
  return total;
}

/**
 * Whether a service is quiet at an instant: each service's quiet intervals of every kind, merged and sorted once,
 * then found by bisection (a year holds thousands of deploys and incidents per service).
 */
function quietLookup(byKind: ReturnType<typeof intervals>): (service: string, at: number) => boolean {
  const merged = new Map<string, Flat>();
  for (const map of [byKind.actions, byKind.silences, byKind.windows]) {
    for (const [service, list] of map) {
      const known = merged.get(service) ?? [];
      for (const bound of list) known.push(bound);
      merged.set(service, known);
    }
  }
  for (const [service, list] of merged) merged.set(service, union(list));
  return (service, at) => {
    const list = merged.get(service);
    if (!list) return false;
    // The last interval starting at or before `at`.
    let low = 0;
    let high = list.length / 2;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[2 * middle] <= at) low = middle + 1;
      else high = middle;
    }
    return low > 0 && at < list[2 * (low - 1) + 1];
  };
}

/**
 * The quiet time of the period, and the runs the keys should count: incidents inside quiet time left out
 * (and counted as such).
 */
export function quietTime(runs: Run[], rules: QuietRules, period: Period, services: string[]): {quiet: QuietTime; counted: Run[]} {
  // Silences end early by an end entry of their own: the set entry's end moves to it.
  const silences = settleSilences(runs);
  const all = [...runs.filter((run) => run.verb !== 'silence'), ...silences];
  let earliest = period.from;
  for (const run of all) if (run.startedAt < earliest) earliest = run.startedAt;
  const span = {from: earliest, to: period.to};
  const byKind = intervals(all, rules, services, span);
  const quietAt = quietLookup(byKind);

  const counted: Run[] = [];
  let leftOut = 0;
  for (const run of all) {
    if (run.verb === 'incident' && !run.began && quietAt(run.service, run.startedAt)) {
      if (run.startedAt >= period.from && run.startedAt < period.to) leftOut++;
      continue;
    }
    counted.push(run);
  }
  const total = (map: Map<string, Flat>) => [...map.values()].reduce((sum, list) => sum + coveredIn(list, period), 0);
  const inPeriod = (interval: Interval) => clip(interval, period) !== undefined;
  const windowStarts = new Set<number>();
  for (const list of byKind.windows.values()) for (let i = 0; i < list.length; i += 2) if (inPeriod([list[i], list[i + 1]])) windowStarts.add(list[i]);
  return {
    counted,
    quiet: {
      actions: {runs: all.filter((run) => ACTIONS.has(run.verb) && run.outcome !== 'refused' && run.endedAt !== undefined && inPeriod([run.startedAt, run.endedAt])).length, ms: total(byKind.actions)},
      silences: {count: silences.filter((run) => run.silence && inPeriod([run.silence.from, run.silence.until])).length, ms: total(byKind.silences)},
      windows: {count: windowStarts.size, ms: total(byKind.windows)},
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
