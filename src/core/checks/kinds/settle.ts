import type {Cancellation} from '../deadline.js';
import {releaseDescriptors, whenDescriptorsFree} from '../file-descriptors.js';
import type {ProbeOutcome, Settle} from '../types.js';

/**
 * Starts `work` once `descriptors` open files are free for it (see file-descriptors.ts), and settles with what
 * it gives, or with the deadline's reason once it passes (the work may go on, holding its descriptors until
 * it ends).
 */
export function settleWithin(work: () => Promise<ProbeOutcome>, deadline: Cancellation, settle: Settle, descriptors = 1): void {
  const stop = deadline.onAbort(() => settle(deadline.reason));
  whenDescriptorsFree(descriptors, () => {
    if (deadline.aborted) return releaseDescriptors(descriptors);
    work()
      .then(
        (outcome) => settle(undefined, outcome),
        (error: unknown) => settle(error),
      )
      .finally(() => {
        stop();
        releaseDescriptors(descriptors);
      });
  });
}
