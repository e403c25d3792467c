/**
 * Turns SIGINT/SIGTERM into an AbortSignal, so the running verb can stop its children and record
 * the interruption. A second signal means "now": exit 130 at once.
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
