import {createFoggy, type Foggy} from '../core/app/foggy.js';
import {exitCodeForOutcome} from './exit-codes.js';
import {trapInterrupts} from './interrupt.js';
import {keepHeapSmall, optimiseNoMore} from './short-run.js';
import {terminalIo} from './terminal-io.js';
import {createUi, type Ui} from './ui.js';

/**
 * What a command is given rather than takes from the process (the GitHub CLI's cmdutil.Factory): its
 * environment and working directory, its streams, the use cases, the exit code and the signals. A command
 * is handed one (see FoggyCommand.factory): the process's by default, a test's sandbox in the tests, which
 * run commands in process against the real core.
 */
export interface CliFactory {
  readonly env: NodeJS.ProcessEnv;
  cwd(): string;
  ui(): Ui;
  foggy(ui: Ui, options: {json: boolean; signal: AbortSignal}): Foggy;
  setExitCode(code: number): void;
  /** SIGINT/SIGTERM abort the controller (a second one exits at once). */
  trapInterrupts(controller: AbortController): void;
  /** This process lives a fraction of a second: no more optimising compiles (see short-run.ts). */
  shortRun(): void;
  /** This process reads through many records: its heap kept small (see short-run.ts). */
  manyRecords(): void;
  /** How to start a process that flushes the outbox in the background (argv), or undefined for none. */
  readonly backgroundFlush?: string[];
  /** The clock the use cases read (the system's, unless a test drives its own). */
  readonly now?: () => Date;
}

/** The command line of a background flush: this same CLI, `outbox --flush --background` (see mirror/background-flush.ts). */
export function backgroundFlushCommand(execPath: string, script: string): string[] {
  return [execPath, script, 'outbox', '--flush', '--background'];
}

/** The use cases for a command: the real core, on this factory's environment, directory and streams. */
export function foggyFor(factory: Pick<CliFactory, 'env' | 'cwd' | 'backgroundFlush' | 'now'>, ui: Ui, options: {json: boolean; signal: AbortSignal}): Foggy {
  return createFoggy({
    env: factory.env,
    cwd: factory.cwd(),
    now: factory.now,
    io: terminalIo(ui, {json: options.json}),
    signal: options.signal,
    backgroundFlush: factory.backgroundFlush,
    exitCodeOf: exitCodeForOutcome,
  });
}

export const processFactory: CliFactory = {
  env: process.env,
  cwd: () => process.cwd(),
  ui: () => createUi(),
  foggy(ui, options) {
    return foggyFor(this, ui, options);
  },
  setExitCode(code) {
    process.exitCode = code;
  },
  trapInterrupts,
  shortRun: optimiseNoMore,
  manyRecords: keepHeapSmall,
  backgroundFlush: backgroundFlushCommand(process.execPath, process.argv[1]),
};
