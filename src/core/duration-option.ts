import {parseDuration} from './duration.js';
import {usageError} from './errors.js';

/** A duration the user gave (a flag, a variable): parsed, or a usage error naming where it came from. */
export function durationOption(name: string, value: string, hint?: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw usageError(`${name}: ${(error as Error).message}`, hint);
  }
}
