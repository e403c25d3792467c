/**
 * Turns SIGINT/SIGTERM into an abort of `controller`, so the running use case can stop its children and
 * record the interruption. A second signal means "now": exit 130 at once. Only commands that honour the
 * signal install it; the others keep the default (Ctrl-C ends them at once).
 */
export function trapInterrupts(controller: AbortController): void {
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
