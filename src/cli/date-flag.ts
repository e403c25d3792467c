import {Flags} from '@oclif/core';

const DAY_MS = 86_400_000;

/**
 * A date flag, parsed at the edge into epoch milliseconds (UTC): YYYY-MM-DD, or a full ISO time. A date alone
 * is the start of that day; with `endOfDay`, its end (so --to 2026-11-30 includes the 30th).
 */
export function dateFlag(options: {description: string; endOfDay?: boolean}) {
  return Flags.custom<number>({
    description: options.description,
    helpValue: 'DATE',
    parse: async (input) => {
      const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(input);
      const at = dateOnly ? Date.parse(`${input}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(input) ? Date.parse(input) : Number.NaN;
      if (Number.isNaN(at)) throw new Error(`expected a date as YYYY-MM-DD or an ISO time (got ${JSON.stringify(input)})`);
      return dateOnly && options.endOfDay ? at + DAY_MS : at;
    },
  })();
}
