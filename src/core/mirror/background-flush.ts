import {builtins} from '../builtins.js';

/**
 * Starts `foggy outbox --flush --background` as a detached process that outlives this one, the way heroku
 * moves work that must not block the CLI off its path: the run that noticed a backlog returns at once, and
 * the backlog drains at Slack's pace in its own process. One flusher at a time (the outbox lock), so
 * starting one while another works costs a process that exits at once. FOGGY_BACKGROUND_FLUSH=0 turns it off.
 */
export function backgroundFlusher(entryScript: string | undefined, env: NodeJS.ProcessEnv): (() => void) | undefined {
  if (!entryScript || env.FOGGY_BACKGROUND_FLUSH === '0' || env.FOGGY_BACKGROUND_FLUSH === 'off') return undefined;
  return () => {
    try {
      const child = builtins.childProcess().spawn(process.execPath, [entryScript, 'outbox', '--flush', '--background'], {
        detached: true,
        stdio: 'ignore',
        env: {...env, FOGGY_BACKGROUND_FLUSH: '0'},
      });
      child.on('error', () => {});
      child.unref();
    } catch {
      // The backlog waits for the next run or an explicit flush.
    }
  };
}
