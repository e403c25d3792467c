import {join} from 'node:path';
import {FoggyError} from '../errors/foggy-error.js';
import {tryLock, type HeldLock} from './pid-lock.js';
import {holderPhrase} from './service-lock.js';

/** foggy's long-running processes: each keeps state of its own in the state directory. */
export type LongRunning = 'watch' | 'serve';

/**
 * One watcher, one chat server per state directory: they keep state there that two of them would tear. The
 * lock names its holder, so a second one is refused saying who runs it.
 */
export function holdSingleInstance(stateDir: string, what: LongRunning): HeldLock {
  const attempt = tryLock(join(stateDir, `${what}.lock`), {what});
  if (attempt.acquired) return attempt.lock;
  const who = attempt.holder ? ` by ${holderPhrase(attempt.holder)}` : '';
  throw new FoggyError(`foggy ${what} is already running${who}: one per state directory.`, {kind: 'refused', code: 'already_running', data: {what, holder: attempt.holder}, remedy: {do: 'stop-other'}});
}
