import type {Cancellation} from '../deadline.js';
import type {ProbeOutcome, Settle} from '../types.js';

/** Settles with what `work` gives, or with the deadline's reason once it passes (the work may go on). */
export function settleWithin(work: Promise<ProbeOutcome>, deadline: Cancellation, settle: Settle): void {
  const stop = deadline.onAbort(() => settle(deadline.reason));
  work.then(
    (outcome) => {
      stop();
      settle(undefined, outcome);
    },
    (error: unknown) => {
      stop();
      settle(error);
    },
  );
}
