import {createFoggy, type Foggy} from '../core/app/foggy.js';
import {trapInterrupts} from './interrupt.js';
import {optimiseNoMore} from './short-run.js';
import {terminalIo} from './terminal-io.js';
import {createUi, type Ui} from './ui.js';

/**
 * What a command is given rather than takes from the process (the GitHub CLI's cmdutil.Factory): its streams,
 * the use cases, the exit code and the signals. Commands run in process under a test's factory, with buffers
 * for streams and a Foggy of the test's choosing; the process's own factory is the default.
 */
export interface CliFactory {
  ui(): Ui;
  foggy(ui: Ui, options: {json: boolean; signal: AbortSignal}): Foggy;
  setExitCode(code: number): void;
  /** SIGINT/SIGTERM abort the controller (a second one exits at once). */
  trapInterrupts(controller: AbortController): void;
  /** This process lives a fraction of a second: no more optimising compiles (see short-run.ts). */
  shortRun(): void;
}

export const processFactory: CliFactory = {
  ui: () => createUi(),
  foggy: (ui, {json, signal}) =>
    createFoggy({
      env: process.env,
      io: terminalIo(ui, {json}),
      signal,
      // A backlog drains in a process of its own: this same CLI, `outbox --flush --background`.
      backgroundFlush: [process.execPath, process.argv[1], 'outbox', '--flush', '--background'],
    }),
  setExitCode(code) {
    process.exitCode = code;
  },
  trapInterrupts,
  shortRun: optimiseNoMore,
};

/** The factory commands use: the process's, unless a test put its own. */
export const cli: {factory: CliFactory} = {factory: processFactory};
