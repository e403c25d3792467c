import type {Outcome} from '../entry/types.js';

/** A deploy or rollback of a service as the record holds it (journal, channel or the team's database). */
export interface DeployRun {
  id: string;
  verb: 'deploy' | 'rollback';
  service: string;
  /** What it deployed; undefined when it was run without a ref. */
  ref?: string;
  /** The ref was cut short where it was read (a digest's line): not one to deploy again. */
  refCut?: boolean;
  outcome: Outcome;
  startedAt: number;
  endedAt?: number;
  /** A rollback: the deploy (or rollback) it undid. */
  rollbackOf?: string;
  /** Who ran it, as a person reads it. */
  who?: string;
}

/** Why there is nothing to roll back to (each names what is missing). */
export type NoTarget =
  /** No deploy of the service in the record at all. */
  | {reason: 'no deploys'}
  /** The current deploy is the only one, or every earlier one failed, was undone, or is the version running now. */
  | {reason: 'nothing earlier'; current: DeployRun}
  /** The deploy to go back to was run without a ref (or its ref was cut short where it was read). */
  | {reason: 'ref unknown'; current: DeployRun; candidate: DeployRun}
  /** --to names nothing this service ran: no such ref deployed, no such entry. */
  | {reason: 'not found'; current: DeployRun; given: string}
  /** --to names an entry of another service. */
  | {reason: 'other service'; current: DeployRun; given: string; candidate: DeployRun}
  /** --to names a deploy that did not succeed (or a ref that never did). */
  | {reason: 'not good'; current: DeployRun; given: string; candidate: DeployRun}
  /** --to names the current deploy itself, or a later one. */
  | {reason: 'not earlier'; current: DeployRun; given: string; candidate: DeployRun}
  /** --to is the start of more than one entry's id. */
  | {reason: 'ambiguous'; current: DeployRun; given: string};

export type TargetChoice = {ok: true; current: DeployRun; target: DeployRun} | ({ok: false} & NoTarget);

/** An entry id given by its start must be at least this long (shorter ones are refs like "v2"). */
const MIN_ID_PREFIX = 6;

const inOrder = (a: DeployRun, b: DeployRun) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const refKnown = (run: DeployRun) => run.ref !== undefined && run.ref !== '' && !run.refCut;

/**
 * What `foggy rollback SERVICE [--to REF|ENTRY]` deploys, from the service's deploys and rollbacks (any order,
 * other services' mixed in). The current one is the latest that ran (refused ones ran nothing), whatever its
 * outcome. Without --to, the target is the latest earlier one that succeeded and was not itself undone by a
 * rollback, leaving out the version running now (a success of the same ref as a current success): rolling back
 * twice goes further back, never forth. --to picks an earlier good deploy by ref (the latest that succeeded) or by
 * entry id (or an unambiguous start of one).
 */
export function chooseTarget(runs: readonly DeployRun[], service: string, to?: string): TargetChoice {
  const ran = runs.filter((run) => run.service === service && run.outcome !== 'refused').sort(inOrder);
  const current = ran.at(-1);
  if (!current) return {ok: false, reason: 'no deploys'};
  const earlier = ran.slice(0, -1);
  if (to !== undefined) return chosen(runs, ran, earlier, current, to);
  const undone = new Set(ran.filter((run) => run.verb === 'rollback' && run.rollbackOf).map((run) => run.rollbackOf!));
  const runningNow = current.outcome === 'succeeded' ? current.ref : undefined;
  const candidate = earlier.findLast((run) => run.outcome === 'succeeded' && !undone.has(run.id) && !(runningNow !== undefined && run.ref === runningNow));
  if (!candidate) return {ok: false, reason: 'nothing earlier', current};
  if (!refKnown(candidate)) return {ok: false, reason: 'ref unknown', current, candidate};
  return {ok: true, current, target: candidate};
}

function chosen(all: readonly DeployRun[], ran: DeployRun[], earlier: DeployRun[], current: DeployRun, to: string): TargetChoice {
  const given = to.trim();
  // A ref first: the latest earlier deploy of it that succeeded.
  const byRef = earlier.findLast((run) => run.outcome === 'succeeded' && run.ref === given && !run.refCut);
  if (byRef) return {ok: true, current, target: byRef};
  // Then an entry: its whole id, or a start of it long enough not to be a ref.
  const exact = all.find((run) => run.id === given);
  const prefixed = exact ? [exact] : given.length >= MIN_ID_PREFIX ? all.filter((run) => run.id.startsWith(given)) : [];
  const ids = new Set(prefixed.map((run) => run.id));
  if (ids.size > 1) return {ok: false, reason: 'ambiguous', current, given};
  const entry = prefixed[0];
  if (entry) {
    if (entry.service !== current.service) return {ok: false, reason: 'other service', current, given, candidate: entry};
    if (entry.id === current.id || !earlier.some((run) => run.id === entry.id)) return {ok: false, reason: 'not earlier', current, given, candidate: entry};
    if (entry.outcome !== 'succeeded') return {ok: false, reason: 'not good', current, given, candidate: entry};
    if (!refKnown(entry)) return {ok: false, reason: 'ref unknown', current, candidate: entry};
    return {ok: true, current, target: entry};
  }
  // A ref that was deployed, but never with success before the current one.
  const triedRef = ran.findLast((run) => run.ref === given);
  if (triedRef) return triedRef.id === current.id ? {ok: false, reason: 'not earlier', current, given, candidate: triedRef} : {ok: false, reason: 'not good', current, given, candidate: triedRef};
  return {ok: false, reason: 'not found', current, given};
}
