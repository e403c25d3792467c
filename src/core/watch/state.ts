import type {WatchSettings} from '../catalog/types.js';

/**
 * What foggy watch believes about one service, round after round: a pure state machine, so that the rules
 * (down after N failed rounds, up after M good ones, flapping past K changes in a window) are plain data in,
 * plain data out, and tested as a table.
 */
export type WatchedState = 'unknown' | 'up' | 'down' | 'flapping';

export interface ServiceWatch {
  state: WatchedState;
  /** When the current state began (for down: the first failed round of the streak that made it down). */
  since: string;
  /** Consecutive failed and good rounds. */
  failures: number;
  successes: number;
  /** The last round's result. */
  lastOk?: boolean;
  /** When the first failed round of the current failing streak was. */
  failingSince?: string;
  /** Times (ms since the epoch) the result changed, within the flapping window. */
  flips: number[];
}

export interface Change {
  from: WatchedState;
  to: Exclude<WatchedState, 'unknown'>;
}

export function initialWatch(now: Date): ServiceWatch {
  return {state: 'unknown', since: now.toISOString(), failures: 0, successes: 0, flips: []};
}

/** One round's result for one service: the new belief, and the change it makes, if any. */
export function observe(previous: ServiceWatch, ok: boolean, now: Date, settings: Pick<WatchSettings, 'downAfter' | 'upAfter' | 'flapping'>): {next: ServiceWatch; change?: Change} {
  const at = now.getTime();
  const flips = previous.flips.filter((time) => at - time < settings.flapping.windowMs);
  if (previous.lastOk !== undefined && ok !== previous.lastOk) flips.push(at);
  const failures = ok ? 0 : previous.failures + 1;
  const successes = ok ? previous.successes + 1 : 0;
  const failingSince = ok ? undefined : previous.failures === 0 ? now.toISOString() : (previous.failingSince ?? now.toISOString());
  const next: ServiceWatch = {...previous, flips, failures, successes, lastOk: ok, failingSince};
  const become = (to: Change['to'], since: string) => ({next: {...next, state: to, since}, change: {from: previous.state, to}});

  if (previous.state === 'flapping') {
    // It settles once the changes in the window are down to half the limit, and the result held long enough.
    if (flips.length > Math.floor(settings.flapping.changes / 2)) return {next};
    if (successes >= settings.upAfter) return become('up', now.toISOString());
    if (failures >= settings.downAfter) return become('down', failingSince ?? now.toISOString());
    return {next};
  }
  if (flips.length > settings.flapping.changes) return become('flapping', now.toISOString());
  if (previous.state !== 'down' && failures >= settings.downAfter) return become('down', failingSince ?? now.toISOString());
  if (previous.state === 'down' && successes >= settings.upAfter) return become('up', now.toISOString());
  // First sight of a service that answers: up, with nothing to resolve.
  if (previous.state === 'unknown' && ok) return become('up', now.toISOString());
  return {next};
}
