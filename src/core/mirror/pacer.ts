import {SlackFailure} from '../slack/failure.js';

/** Slack allows about one message per second per channel; a bulk flush keeps just under it. */
export const POST_INTERVAL_MS = 1100;
/** However slow a channel says it wants it, a post goes out at least this often. */
const MAX_INTERVAL_MS = 10_000;
/** From this many fresh entries waiting for one channel, they go out as digests instead of one message each. */
/**
 * Paces posts per channel at what Slack allows, and learns from it: a 429 puts the channel's next post after
 * its Retry-After and widens the channel's interval by half; every tenth post in a row that goes through
 * narrows it back a little, towards one a second. A flush of a backlog runs at the channel's pace instead of
 * against it.
 */
export interface Pacer {
  /** Waits until the channel may take the next post (throws when that is past the deadline). */
  (channel: string): Promise<void>;
  /** The channel answered 429: not before `retryAfterMs` from now, and slower from then on. */
  rateLimited(channel: string, retryAfterMs: number): void;
  /** The channel took a post. */
  posted(channel: string): void;
}

export function pacer(sleep: (ms: number) => Promise<void>, deadline: () => number, startedAt = 0): Pacer {
  const channels = new Map<string, {next: number; interval: number; streak: number}>();
  const state = (channel: string) => {
    let known = channels.get(channel);
    if (!known) {
      known = {next: startedAt ? startedAt + POST_INTERVAL_MS : 0, interval: POST_INTERVAL_MS, streak: 0};
      channels.set(channel, known);
    }
    return known;
  };
  const pace = (async (channel: string) => {
    const known = state(channel);
    const wait = known.next - Date.now();
    if (wait > 0) {
      if (Date.now() + wait >= deadline()) throw new SlackFailure('retryable', 'out of time');
      await sleep(wait);
    }
    known.next = Date.now() + known.interval;
  }) as Pacer;
  pace.rateLimited = (channel, retryAfterMs) => {
    const known = state(channel);
    known.interval = Math.min(MAX_INTERVAL_MS, Math.max(known.interval * 1.5, retryAfterMs));
    known.next = Math.max(known.next, Date.now() + Math.max(retryAfterMs, known.interval));
    known.streak = 0;
  };
  pace.posted = (channel) => {
    const known = state(channel);
    if (++known.streak % 10 === 0) known.interval = Math.max(POST_INTERVAL_MS, known.interval * 0.95);
    // Counted from the answer too, not only from the send: a post that reached Slack late (a slow network, a busy
    // machine) would otherwise leave the next one less than an interval behind it there.
    known.next = Math.max(known.next, Date.now() + known.interval);
  };
  return pace;
}
