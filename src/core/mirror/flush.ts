import type {JournalEntry} from '../journal/journal.js';
import {isOrphaned} from '../journal/liveness.js';
import {SlackFailure} from '../slack/failure.js';
import {deliver, type DeliveryContext} from './delivery.js';

export interface FlushResult {
  delivered: string[];
  remaining: number;
  /** Why the flush stopped early, if it did. */
  stoppedBy?: SlackFailure;
  /** Another process holds the outbox. */
  busy: boolean;
}

/** Slack allows about one message per second per channel; a bulk flush keeps just under it. */
const POST_INTERVAL_MS = 1100;

export function pacer(sleep: (ms: number) => Promise<void>, deadline: () => number): (channel: string) => Promise<void> {
  const last = new Map<string, number>();
  return async (channel) => {
    const wait = (last.get(channel) ?? 0) + POST_INTERVAL_MS - Date.now();
    if (wait > 0) {
      if (Date.now() + wait >= deadline()) throw new SlackFailure('retryable', 'out of time');
      await sleep(wait);
    }
    last.set(channel, Date.now());
  };
}

/** Entries another process is still working on are its own to deliver. */
export function deliverable(entry: JournalEntry): boolean {
  return entry.outcome !== 'running' || isOrphaned(entry);
}

/**
 * Delivers what waits in the outbox, oldest first, until the deadline. One flusher at a time
 * (a lock beside the outbox), so two processes never post the same entry.
 */
export async function flushOutbox(context: DeliveryContext, options: {exclude?: string; waitForLockMs?: number} = {}): Promise<FlushResult> {
  const pending = () => context.outbox.list().filter((entry) => entry.id !== options.exclude && deliverable(entry));
  if (pending().length === 0) return {delivered: [], remaining: 0, busy: false};

  const {default: lockfile} = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    const retries = options.waitForLockMs ? {retries: Math.ceil(options.waitForLockMs / 100), minTimeout: 100, maxTimeout: 100} : 0;
    release = await lockfile.lock(context.outbox.dir, {lockfilePath: `${context.outbox.dir}.lock`, stale: 30_000, update: 5_000, retries, realpath: false});
  } catch {
    return {delivered: [], remaining: pending().length, busy: true};
  }

  const delivered: string[] = [];
  let stoppedBy: SlackFailure | undefined;
  const pace = pacer(context.sleep, () => context.deadline);
  try {
    // Read again under the lock: the previous holder may have delivered some.
    for (const waiting of pending()) {
      if (Date.now() >= context.deadline) break;
      const entry = isOrphaned(waiting) ? recordUnknown(context, waiting) : waiting;
      try {
        await deliver({...context, pace}, entry);
        delivered.push(entry.id);
      } catch (error) {
        stoppedBy = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
        break;
      }
    }
  } finally {
    await release().catch(() => {});
  }
  return {delivered, remaining: pending().length, stoppedBy, busy: false};
}

/** A process that died mid-action never wrote its end: the journal gets it now, as unknown. */
function recordUnknown(context: DeliveryContext, entry: JournalEntry): JournalEntry {
  const end = {outcome: 'unknown' as const, exitCode: undefined, summary: 'outcome unknown: process ended', endedAt: new Date().toISOString()};
  context.journal.append({kind: 'end', id: entry.id, end});
  const updated = {...entry, ...end};
  context.outbox.put(updated);
  return updated;
}
