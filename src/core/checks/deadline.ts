/**
 * A check's deadline: it ends at the check's timeout, or when the caller's signal aborts (Ctrl-C, a watcher
 * stopping). Plain callbacks rather than an AbortController per check, and one timer for all the deadlines
 * of one length rather than one each: a status of a thousand services would otherwise build a thousand
 * EventTargets and set and clear a thousand timers, which costs more than the HTTP requests. Probes that
 * hand a signal to Node (a TCP connect, a child process) get one on demand.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** Calls the listener once when the deadline passes; returns what stops listening. */
  onAbort(listener: () => void): () => void;
}

export class Deadline implements Cancellation {
  aborted = false;
  reason: unknown;
  /** It ended at its own timeout (not because the caller's signal aborted). */
  timedOut = false;
  /** When it began, and when it times out (performance.now()). */
  readonly startedAt = performance.now();
  readonly dueAt: number;
  /** Over: done, or aborted. The clock drops it when its turn comes. */
  over = false;
  /** Most checks have one listener, some none: a Set only for more. */
  private listener?: () => void;
  private more?: Set<() => void>;
  private readonly clock: Clock;
  private readonly following?: Set<Deadline>;
  private controller?: AbortController;

  constructor(timeoutMs: number, outer?: AbortSignal) {
    this.dueAt = this.startedAt + timeoutMs;
    this.clock = clockFor(timeoutMs);
    this.clock.add(this);
    if (outer) this.following = follow(outer, this);
  }

  /** An AbortSignal tied to the deadline, for Node APIs that take one. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      if (this.aborted) controller.abort(this.reason);
      else this.onAbort(() => controller.abort(this.reason));
    }
    return this.controller.signal;
  }

  onAbort(listener: () => void): () => void {
    if (this.aborted) {
      listener();
      return () => {};
    }
    if (this.listener === undefined) {
      this.listener = listener;
      return () => {
        if (this.listener === listener) this.listener = undefined;
      };
    }
    const more = (this.more ??= new Set());
    more.add(listener);
    return () => more.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.end();
    const {listener, more} = this;
    this.listener = undefined;
    this.more = undefined;
    listener?.();
    if (more) for (const each of more) each();
  }

  /** The check is over: its place on the clock and among the caller's checks are let go of. */
  done(): void {
    this.end();
    this.listener = undefined;
    this.more = undefined;
  }

  /** Called by the clock when the deadline's time has come. */
  expire(): void {
    this.timedOut = true;
    this.abort(new DOMException('The check timed out', 'TimeoutError'));
  }

  private end(): void {
    if (this.over) return;
    this.over = true;
    this.clock.left();
    this.following?.delete(this);
  }
}

/**
 * The deadlines of one length, which end in the order they began: one timer, set for the first that is not
 * over. A deadline that is over stays in the line until its turn; the line empties, and the timer stops,
 * when none is left, so nothing keeps the process alive after the last check.
 */
class Clock {
  private line: Deadline[] = [];
  private first = 0;
  private live = 0;
  private timer?: NodeJS.Timeout;
  private ticking = false;

  add(deadline: Deadline): void {
    this.line.push(deadline);
    if (this.live++ === 0 && !this.ticking) this.wake(deadline.dueAt);
  }

  left(): void {
    if (--this.live > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.line = [];
    this.first = 0;
  }

  private wake(at: number): void {
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.ceil(at - performance.now())));
  }

  private tick(): void {
    this.timer = undefined;
    // A timer may fire a little before performance.now() reaches its time: within a millisecond is due.
    const now = performance.now() + 1;
    this.ticking = true;
    try {
      while (this.first < this.line.length) {
        const deadline = this.line[this.first];
        if (!deadline.over && deadline.dueAt > now) break;
        this.first++;
        if (!deadline.over) deadline.expire();
      }
    } finally {
      this.ticking = false;
    }
    if (this.live === 0) return;
    if (this.first > 1024) {
      this.line = this.line.slice(this.first);
      this.first = 0;
    }
    this.wake(this.line[this.first].dueAt);
  }
}

const clocks = new Map<number, Clock>();

function clockFor(timeoutMs: number): Clock {
  let clock = clocks.get(timeoutMs);
  if (!clock) {
    clock = new Clock();
    clocks.set(timeoutMs, clock);
  }
  return clock;
}

/**
 * The deadlines under way for each caller's signal, which one listener aborts together. Not a listener
 * per check, and not AbortSignal.any: tied to a long-lived signal (a watcher's, for weeks), every check's
 * composite signal would stay reachable from it, and memory would grow round after round.
 */
const followers = new WeakMap<AbortSignal, Set<Deadline>>();

function follow(outer: AbortSignal, deadline: Deadline): Set<Deadline> | undefined {
  if (outer.aborted) {
    deadline.abort(outer.reason);
    return undefined;
  }
  let deadlines = followers.get(outer);
  if (!deadlines) {
    const live = new Set<Deadline>();
    deadlines = live;
    followers.set(outer, live);
    outer.addEventListener(
      'abort',
      () => {
        for (const each of live) each.abort(outer.reason);
      },
      {once: true},
    );
  }
  deadlines.add(deadline);
  return deadlines;
}
