/**
 * A check's deadline: it ends at the check's timeout, or when the caller's signal aborts (Ctrl-C, a watcher
 * stopping). Plain callbacks rather than an AbortController per check: a status of a thousand services
 * would build a thousand EventTargets and register and search a thousand listeners, which costs more than
 * the HTTP requests. Probes that hand a signal to Node (a TCP connect, a child process) get one on demand.
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
  /** Made on the first listener: most checks have one, some none. */
  private listeners?: Set<() => void>;
  private readonly timer: NodeJS.Timeout;
  private readonly unfollow: () => void;
  private controller?: AbortController;

  constructor(timeoutMs: number, outer?: AbortSignal) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new DOMException('The check timed out', 'TimeoutError'));
    }, timeoutMs);
    this.unfollow = outer ? follow(outer, this) : () => {};
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
    const listeners = (this.listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  /** The check is over: its timer and its place among the caller's checks are let go of. */
  done(): void {
    clearTimeout(this.timer);
    this.unfollow();
    this.listeners = undefined;
  }
}

/**
 * The deadlines under way for each caller's signal, which one listener aborts together. Not a listener
 * per check, and not AbortSignal.any: tied to a long-lived signal (a watcher's, for weeks), every check's
 * composite signal would stay reachable from it, and memory would grow round after round.
 */
const followers = new WeakMap<AbortSignal, Set<Deadline>>();

function follow(outer: AbortSignal, deadline: Deadline): () => void {
  if (outer.aborted) {
    deadline.abort(outer.reason);
    return () => {};
  }
  let live = followers.get(outer);
  if (!live) {
    const deadlines = new Set<Deadline>();
    live = deadlines;
    followers.set(outer, deadlines);
    outer.addEventListener(
      'abort',
      () => {
        for (const each of deadlines) each.abort(outer.reason);
      },
      {once: true},
    );
  }
  const deadlines = live;
  deadlines.add(deadline);
  return () => deadlines.delete(deadline);
}
