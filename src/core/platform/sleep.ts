/**
 * Waits `ms`, or less when `signal` aborts first (a deadline, Ctrl-C): a wait never outlasts its reason.
 * With `unref`, the wait alone does not keep the process alive (a grace period that may be cut short).
 */
export function sleep(ms: number, signal?: AbortSignal, options: {unref?: boolean} = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    if (options.unref) timer.unref();
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, {once: true});
  });
}
