import {Flags} from '@oclif/core';
import {boundedDuration, MAX_DURATION_MS} from '../core/text/bounded-duration.js';

/**
 * A duration flag, parsed at the edge as sf's Flags.duration is: the command, and the use case after it, get
 * milliseconds, never a string to parse. Out of range is a usage error naming the flag (see phrases.ts).
 */
export function durationFlag(options: {description: string; min?: number; max?: number; helpValue?: string}) {
  const {min = 0, max = MAX_DURATION_MS, ...shown} = options;
  return Flags.custom<number>({
    ...shown,
    helpValue: shown.helpValue ?? 'DURATION',
    parse: async (input) => {
      try {
        return boundedDuration('value', input, {min, max});
      } catch (error) {
        // The flag's name is oclif's to add ("Parsing --wait"): the problem alone.
        throw new Error((error as Error).message.replace(/^value: /, ''));
      }
    },
  })();
}

export const DAY_MS = 86_400_000;
