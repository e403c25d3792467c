import type {ActionRun, QuietRecord, Silence} from './events.js';
import {maintenanceAt, type MaintenanceWindow, type Occurrence} from './maintenance.js';

/**
 * Why a service is quiet at a moment, if it is: the watcher keeps checking and recording it, but posts
 * nothing and opens no incident.
 * - action: a deploy, restart or rollback of it runs now;
 * - grace: one succeeded a moment ago, and the service may take a while to come up;
 * - silence: someone silenced it, until a time, for a reason;
 * - maintenance: a window of foggy.yml holds it;
 * - dependency: a service it depends on is being deployed (or is in its grace).
 */
export type QuietReason =
  | {kind: 'action'; run: ActionRun}
  | {kind: 'grace'; run: ActionRun; until: number}
  | {kind: 'silence'; silence: Silence}
  | {kind: 'maintenance'; occurrence: Occurrence}
  | {kind: 'dependency'; on: string; reason: Extract<QuietReason, {kind: 'action' | 'grace'}>};

export interface QuietContext {
  record: QuietRecord;
  windows: readonly MaintenanceWindow[];
  /** The grace after an action that succeeded, for this service. */
  graceMs(service: string): number;
  /** The services this one depends on. */
  dependsOn(service: string): readonly string[];
  /** Whether a run without an end is still going (its process lives), or ended without a word (kill -9). */
  running(run: ActionRun): boolean;
}

/** Why `service` is quiet at `at`, or undefined when it is not. */
export function quietReason(service: string, at: number, context: QuietContext): QuietReason | undefined {
  const own = actionReason(service, at, context);
  if (own?.kind === 'action') return own;
  const silence = context.record.silences
    .filter((s) => s.services.includes(service) && s.from <= at && at < s.until)
    .sort((a, b) => b.until - a.until)[0];
  if (silence) return {kind: 'silence', silence};
  const occurrence = maintenanceAt(context.windows, service, at);
  if (occurrence) return {kind: 'maintenance', occurrence};
  if (own) return own;
  for (const dependency of dependenciesOf(service, context)) {
    const reason = actionReason(dependency, at, context);
    if (reason) return {kind: 'dependency', on: dependency, reason};
  }
  return undefined;
}

/** A run of the service now, or the grace after the last one that succeeded. */
function actionReason(service: string, at: number, context: QuietContext): Extract<QuietReason, {kind: 'action' | 'grace'}> | undefined {
  let grace: Extract<QuietReason, {kind: 'grace'}> | undefined;
  for (const run of context.record.actions) {
    if (run.service !== service || run.startedAt > at) continue;
    if (run.endedAt === undefined) {
      if (context.running(run)) return {kind: 'action', run};
      continue;
    }
    if (run.endedAt > at) return {kind: 'action', run};
    // A failed run is the news itself: no grace after it.
    if (run.outcome !== 'succeeded') continue;
    const until = run.endedAt + context.graceMs(service);
    if (at < until && (!grace || until > grace.until)) grace = {kind: 'grace', run, until};
  }
  return grace;
}

/** Every service this one depends on, directly or through others. */
function dependenciesOf(service: string, context: QuietContext): string[] {
  const found: string[] = [];
  const visit = (name: string) => {
    for (const dependency of context.dependsOn(name)) {
      if (found.includes(dependency) || dependency === service) continue;
      found.push(dependency);
      visit(dependency);
    }
  };
  visit(service);
  return found;
}

/** When the reason stops holding, if it is known (a running action's end is not). */
export function quietUntil(reason: QuietReason): number | undefined {
  switch (reason.kind) {
    case 'action': {
      return undefined;
    }
    case 'grace': {
      return reason.until;
    }
    case 'silence': {
      return reason.silence.until;
    }
    case 'maintenance': {
      return reason.occurrence.to;
    }
    case 'dependency': {
      return quietUntil(reason.reason);
    }
  }
}

/**
 * What the watcher does with a service this round:
 * - as usual: nothing quiets it, or an incident of it is already open (that one is never hushed: it resolves as
 *   usual, so a restart that mends a dead database still gets its green light);
 * - stay quiet: it is quiet now; whatever it does is recorded, nothing is posted, no incident opens;
 * - open now: it was quiet and no longer is, and it fails still: its incident opens at once, without waiting
 *   for more failed rounds, saying it began with what quieted it.
 */
export type WatchDecision = 'as usual' | 'stay quiet' | 'open now';

export function watchDecision(input: {incidentOpen: boolean; quietNow: boolean; quietBefore: boolean; failing: boolean}): WatchDecision {
  if (input.incidentOpen) return 'as usual';
  if (input.quietNow) return 'stay quiet';
  if (input.quietBefore && input.failing) return 'open now';
  return 'as usual';
}
