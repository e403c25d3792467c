import {spawn, type ChildProcess} from 'node:child_process';
import {Journal} from '../../src/core/journal/journal.js';
import {FOGGY, runInProcess, startInProcess} from './harness.js';
import {checkJsonOutput} from './json-contract.js';
import {tempDir} from './temp.js';

export {FOGGY} from './harness.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** What standard input holds (in process: a pipe with this text; never a terminal unless `tty`). */
  stdin?: string;
  tty?: boolean;
  /** In process: aborting it is Ctrl-C. */
  signal?: AbortSignal;
  /** In process: the clock the use cases read. */
  now?: () => Date;
}

/**
 * A sandbox for end-to-end runs: its own HOME and XDG directories, a catalog, and an environment
 * free of the host's CI and Slack variables, so every run starts from a known state.
 */
export class Sandbox {
  readonly dir = tempDir();
  readonly env: NodeJS.ProcessEnv;

  constructor(catalog?: string, extraEnv: NodeJS.ProcessEnv = {}) {
    this.env = {
      PATH: process.env.PATH,
      HOME: this.dir.path,
      XDG_STATE_HOME: `${this.dir.path}/state`,
      XDG_CONFIG_HOME: `${this.dir.path}/config`,
      XDG_CACHE_HOME: `${this.dir.path}/cache`,
      LANG: 'C.UTF-8',
      // Where foggy processes started by the tests note themselves (npm test counts them).
      ...(process.env.FOGGY_TEST_PROCESS_LOG ? {FOGGY_TEST_PROCESS_LOG: process.env.FOGGY_TEST_PROCESS_LOG} : {}),
      ...extraEnv,
    };
    if (catalog !== undefined) this.dir.file('foggy.yml', catalog);
  }

  get journal(): Journal {
    return new Journal(`${this.env.XDG_STATE_HOME}/foggy`);
  }

  /** A real foggy process (signals, start-up, a terminal, many at once): the few tests that need one. */
  spawn(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string; stdin?: 'pipe' | 'ignore'} = {}): ChildProcess {
    const stdin = options.stdin ?? (args[0] === 'login' ? 'pipe' : 'ignore');
    return spawn(process.execPath, [FOGGY, ...args], {cwd: options.cwd ?? this.dir.path, env: {...this.env, ...options.env}, stdio: [stdin, 'pipe', 'pipe']});
  }

  /** Runs a command in this process, against the real core; a --json output that breaks its published schema fails the test. */
  async run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    const {code, stdout, stderr, ms} = await runInProcess(args, this.inProcess(options));
    checkJsonOutput(args, stdout);
    return {code, signal: null, stdout, stderr, ms};
  }

  /** Starts a command in this process, its output readable while it runs; aborting `signal` is Ctrl-C. */
  async start(args: string[], options: RunOptions = {}): Promise<{stdout(): string; stderr(): string; done: Promise<CliResult>}> {
    const started = await startInProcess(args, this.inProcess(options));
    return {stdout: () => started.ui.stdout(), stderr: () => started.ui.stderr(), done: started.done.then(({code, stdout, stderr, ms}) => ({code, signal: null, stdout, stderr, ms}))};
  }

  private inProcess(options: RunOptions) {
    return {env: {...this.env, ...options.env}, cwd: options.cwd ?? this.dir.path, stdin: options.stdin, tty: options.tty, signal: options.signal, now: options.now};
  }

  /** Runs foggy as a process to the end: exit codes as a shell sees them, what a process loads and leaves. */
  async runProcess(args: string[], options: {env?: NodeJS.ProcessEnv; cwd?: string} = {}): Promise<CliResult> {
    const result = await collect(this.spawn(args, options));
    checkJsonOutput(args, result.stdout);
    return result;
  }

  remove(): void {
    this.dir.remove();
  }
}

export function collect(child: ChildProcess): Promise<CliResult> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal, stdout, stderr, ms: performance.now() - started}));
  });
}

/** Waits until `predicate` holds, polling; fails the test with `what` after `ms`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
