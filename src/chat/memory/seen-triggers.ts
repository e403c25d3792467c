import {join} from 'node:path';
import {JsonLines} from './json-lines.js';

/**
 * The ids of the triggers foggy serve has taken (Socket Mode envelopes, Events API event ids), kept on disk
 * so that Slack redelivering one (an ack it did not see, a retry, a restart of foggy serve in between)
 * never starts a second run. Slack retries within minutes; ids are kept well past that.
 */
export const SEEN_TTL_MS = 60 * 60_000;

type Seen = [id: string, expiresAt: number];

export class SeenTriggers {
  private readonly live = new Map<string, number>();
  private readonly log: JsonLines<Seen>;
  private written = 0;

  private constructor(dir: string, private readonly now: () => number) {
    this.log = new JsonLines<Seen>(join(dir, 'seen-triggers.jsonl'));
  }

  static open(dir: string, now: () => number = Date.now): SeenTriggers {
    const seen = new SeenTriggers(dir, now);
    const at = now();
    for (const [id, expiresAt] of seen.log.read()) if (expiresAt > at) seen.live.set(id, expiresAt);
    seen.compact();
    return seen;
  }

  /**
   * True the first time any of these ids is offered (and they are remembered from now on); false when one
   * was seen already. Synchronous: two deliveries of one trigger in flight at once cannot both be first.
   */
  firstTime(ids: string[]): boolean {
    const at = this.now();
    this.forgetExpired(at);
    if (ids.some((id) => (this.live.get(id) ?? 0) > at)) return false;
    const expiresAt = at + SEEN_TTL_MS;
    for (const id of ids) {
      // Re-inserted, so the map stays in order of expiry and forgetting stops at the first live id.
      this.live.delete(id);
      this.live.set(id, expiresAt);
      this.log.append([id, expiresAt]);
    }
    this.written += ids.length;
    if (this.written > 2 * this.live.size + 1000) this.compact();
    return true;
  }

  get size(): number {
    return this.live.size;
  }

  private forgetExpired(at: number): void {
    for (const [id, expiresAt] of this.live) {
      if (expiresAt > at) break;
      this.live.delete(id);
    }
  }

  private compact(): void {
    this.log.rewrite(this.live.entries());
    this.written = 0;
  }
}
