import {formatDuration, formatSpan, parseDuration} from './duration.js';
import {inputError} from '../errors/foggy-error.js';

/** Timers past 2^31 ms overflow (Node fires them at once, with a warning); nothing foggy waits for needs more than a day. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/**
 * A duration someone gave (a variable, a front end's option): parsed and bounded where it is read, or an
 * input error naming `field`. Never clamped silently: 99999h is a mistake to hear about, not a wait to shorten.
 */
export function boundedDuration(field: string, value: string, options: {min?: number; max?: number; hint?: string} = {}): number {
  const {min = 0, max = MAX_DURATION_MS, hint} = options;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (error) {
    throw inputError(field, (error as Error).message, hint);
  }
  if (!Number.isFinite(ms) || ms < min || ms > max) throw inputError(field, `expected a duration from ${formatBound(min)} to ${formatBound(max)} (got ${JSON.stringify(value)})`, hint);
  return ms;
}

function formatBound(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000 === 1 ? '24h' : `${ms / 86_400_000}d`}`;
  return ms >= 60_000 && ms % 60_000 === 0 ? formatSpan(ms) : formatDuration(ms);
}
