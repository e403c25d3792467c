import {builtins} from '../platform/builtins.js';
import {handOverLock, tryLock} from '../locks/pid-lock.js';

/**
 * Starts a flusher (the front end says how: the CLI's `outbox` command, in the background) as a detached
 * process that outlives this one, the way heroku
 * moves work that must not block the CLI off its path: the run that noticed a backlog returns at once, and
 * the backlog drains at Slack's pace in its own process. The outbox lock is taken here and handed to the
 * new process, so twenty runs finishing at once start one flusher, not twenty; while one flushes, runs
 * start none (it picks up what they hand over). FOGGY_BACKGROUND_FLUSH=0 turns it off.
 */
/** Seconds the flusher waits before it starts. */
const START_DELAY_S = 1;

export function backgroundFlusher(argv: string[] | undefined, env: NodeJS.ProcessEnv, lockFile: string): (() => void) | undefined {
  if (!argv || argv.length === 0 || env.FOGGY_BACKGROUND_FLUSH === '0' || env.FOGGY_BACKGROUND_FLUSH === 'off') return undefined;
  return () => {
    const attempt = tryLock(lockFile, {what: 'flush'});
    if (!attempt.acquired) return;
    try {
      // Through a shell that waits a moment, then becomes the flusher (exec keeps the pid the lock names):
      // the flusher's own startup then does not compete for the CPU with the run that is just finishing.
      const [command, args] = process.platform === 'win32' ? [argv[0], argv.slice(1)] : ['/bin/sh', ['-c', `sleep ${START_DELAY_S}; exec "$0" "$@"`, ...argv]];
      const child = builtins.childProcess().spawn(command, args, {
        detached: true,
        stdio: 'ignore',
        env: {...env, FOGGY_BACKGROUND_FLUSH: '0'},
      });
      child.on('error', () => {});
      if (child.pid === undefined) attempt.lock.release();
      else handOverLock(attempt.lock, child.pid);
      child.unref();
    } catch {
      // The backlog waits for the next run or an explicit flush.
      attempt.lock.release();
    }
  };
}
