import {OutputCapture} from './output-capture.js';
import {builtins} from '../platform/builtins.js';

export interface RunOptions {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Aborting (Ctrl-C) stops the child's whole tree, like a timeout. */
  signal?: AbortSignal;
  /** Live copy of the output, e.g. to the terminal. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Between SIGTERM and SIGKILL. */
  graceMs?: number;
}

export interface RunResult {
  exitCode: number | null;
  /** The signal that ended the child, if any. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
  /** Set when the command could not be started at all (e.g. not found). */
  spawnError?: string;
  durationMs: number;
  output: string;
  outputBytes: number;
  outputTruncated: boolean;
}

const DEFAULT_GRACE_MS = 5_000;
/** After the child exits, how long to wait for pipes that a lingering grandchild may hold open. */
const PIPE_DRAIN_MS = 250;

/**
 * Runs a command in its own process group, so a timeout or an interrupt can stop everything it started
 * (SIGTERM to the group, SIGKILL after a grace period), and captures its output in bounded memory.
 */
export function runProcess(options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const capture = new OutputCapture();
  const grace = options.graceMs ?? DEFAULT_GRACE_MS;

  return new Promise((resolve) => {
    let timedOut = false;
    let interrupted = false;
    let spawnError: string | undefined;
    let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const child = builtins.childProcess().spawn(options.argv[0], options.argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true, // a process group of its own: the tree can be signalled as one
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = () => {
      if (exit) {
        // The leader exited but may have left children holding the group; they go too.
        signalGroup('SIGKILL');
        return;
      }
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), grace);
    };

    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      interrupted = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, {once: true});
    if (options.signal?.aborted) onAbort();

    for (const name of ['stdout', 'stderr'] as const) {
      child[name].on('data', (chunk: Buffer) => {
        capture.write(chunk);
        options.onOutput?.(chunk, name);
      });
    }

    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (timedOut || interrupted) signalGroup('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        interrupted,
        spawnError,
        durationMs: Math.round(performance.now() - started),
        output: capture.text(),
        outputBytes: capture.totalBytes,
        outputTruncated: capture.truncated,
      });
    };

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code === 'ENOENT' ? `command not found: ${options.argv[0]}` : error.message;
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = {code, signal};
      // 'close' waits for the pipes; a daemonised grandchild may keep them open forever.
      setTimeout(finish, PIPE_DRAIN_MS).unref();
    });
    child.on('close', finish);
  });
}

/** A one-line account of how a run ended. */
export function describeRun(result: RunResult, timeoutMs: number): string {
  if (result.spawnError) return result.spawnError;
  if (result.interrupted) return 'interrupted';
  if (result.timedOut) return `timed out after ${Math.round(timeoutMs / 1000)}s`;
  if (result.signal) return `killed by ${result.signal}`;
  return `exit ${result.exitCode}`;
}
