import {readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Config} from '@oclif/core';
import type {CliFactory} from '../../src/cli/factory.js';
import {backgroundFlushCommand, foggyFor} from '../../src/cli/factory.js';
import type {FoggyCommand} from '../../src/cli/foggy-command.js';
import {testUi, type TestUi} from './test-ui.js';

/**
 * The one way tests run a command in this process (as the GitHub CLI runs NewCmdX(f, runF) with
 * iostreams.Test()): the command class from src/commands, handed a factory of the test's making (a sandbox's
 * environment and directory, buffers for its streams, the real core), and the exit code it set. No process is
 * spawned; tests that need a real one (signals, start-up, a terminal, many processes) spawn bin/run.js.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMMANDS = new URL('../../src/commands/', import.meta.url);
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
/** bin/run.js as the tests start it: each start counted (see counted-run.mjs). */
export const FOGGY = fileURLToPath(new URL('counted-run.mjs', import.meta.url));

/** Command ids ("log:show") by the words that name them, longest first. */
const IDS = readdirSync(COMMANDS, {recursive: true})
  .map(String)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -3).split('/'))
  .sort((a, b) => b.length - a.length);

let config: Promise<Config> | undefined;

export interface CommandRun {
  /** The exit code, as the process would have exited with it (0 when the command set none). */
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  ui: TestUi;
}

export interface InProcessOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin?: string;
  tty?: boolean;
  /** Aborting it is Ctrl-C: the command's interrupt controller is aborted. */
  signal?: AbortSignal;
  /** Turn off the background flush a run starts when it finds a backlog (it would be a process of its own). */
  backgroundFlush?: boolean;
  /** The clock the use cases read, when the test drives it. */
  now?: () => Date;
}

/** A command running in this process: what it has written so far, and its end. */
export interface StartedCommand {
  ui: TestUi;
  done: Promise<CommandRun>;
}

/** Which command class the words name, and the words left for it to parse. */
async function commandFor(argv: string[]): Promise<{command: typeof FoggyCommand; id: string; rest: string[]}> {
  const words = argv.slice(0, argv.findIndex((word) => word.startsWith('-')) === -1 ? argv.length : argv.findIndex((word) => word.startsWith('-')));
  const id = IDS.find((parts) => parts.length <= words.length && parts.every((part, index) => words[index] === part));
  if (!id) throw new Error(`no command for ${JSON.stringify(argv)}: run it as a process to test oclif's own handling of unknown commands`);
  const module = (await import(new URL(`${id.join('/')}.js`, COMMANDS).href)) as {default: typeof FoggyCommand};
  return {command: module.default, id: id.join(':'), rest: argv.slice(id.length)};
}

export async function runInProcess(argv: string[], options: InProcessOptions): Promise<CommandRun> {
  return (await startInProcess(argv, options)).done;
}

/** Starts a command in this process; its output can be read while it runs (a watcher, a log -f). */
export async function startInProcess(argv: string[], options: InProcessOptions): Promise<StartedCommand> {
  const started = performance.now();
  config ??= Config.load(ROOT);
  const loaded = await config;
  const {command, id, rest} = await commandFor(argv);
  const ui = testUi({stdin: options.stdin, tty: options.tty});
  let exitCode: number | undefined;
  const factory: CliFactory = {
    env: options.env,
    cwd: () => options.cwd,
    ui: () => ui,
    foggy: (shown, flags) => foggyFor(factory, shown, flags),
    setExitCode: (code) => {
      exitCode = code;
    },
    trapInterrupts: (controller) => {
      if (options.signal?.aborted) controller.abort(new Error('interrupted'));
      options.signal?.addEventListener('abort', () => controller.abort(new Error('interrupted')), {once: true});
    },
    shortRun: () => {},
    manyRecords: () => {},
    backgroundFlush: options.backgroundFlush === false ? undefined : backgroundFlushCommand(process.execPath, FOGGY),
    now: options.now,
  };
  const instance = new (command as unknown as new (argv: string[], config: Config) => FoggyCommand)(rest, loaded);
  instance.factory = factory;
  instance.id = id;
  const done = (instance as unknown as {_run(): Promise<unknown>})._run().then(() => ({code: exitCode ?? 0, stdout: ui.stdout(), stderr: ui.stderr(), ms: performance.now() - started, ui}));
  return {ui, done};
}
