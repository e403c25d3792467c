import {fileURLToPath} from 'node:url';
import {Config, type Command} from '@oclif/core';
import type {CliFactory} from '../../src/cli/factory.js';
import type {FoggyCommand} from '../../src/cli/foggy-command.js';
import type {Foggy} from '../../src/core/app/foggy.js';
import {testUi, type TestUi} from './test-ui.js';

/** One use case called by a command: which, and the request it was given. */
export interface Call {
  method: string;
  request: unknown;
}

/**
 * A Foggy that records what a command asks of it and answers from a table: the command's own work
 * (parsing, building the request, rendering, the exit code) is tested without running a use case, as the
 * GitHub CLI tests a command through its runF. (harness.ts runs commands against the real core.)
 */
export function recordingFoggy(answers: Partial<Record<keyof Foggy, unknown>> = {}): {foggy: Foggy; calls: Call[]} {
  const calls: Call[] = [];
  const foggy = new Proxy({} as Foggy, {
    get: (_, method: string) => async (request: unknown) => {
      calls.push({method, request});
      const answer = answers[method as keyof Foggy];
      if (answer instanceof Error) throw answer;
      return typeof answer === 'function' ? (answer as (request: unknown) => unknown)(request) : answer;
    },
  });
  return {foggy, calls};
}

let config: Config | undefined;

export interface InProcessRun {
  ui: TestUi;
  calls: Call[];
  /** What the command set, or undefined when it set none (success). */
  exitCode?: number;
  result: unknown;
}

/** Runs a command class in this process, under a factory of buffers and the given Foggy. */
export async function runInProcess(command: typeof Command, argv: string[], answers: Partial<Record<keyof Foggy, unknown>> = {}, options: {stdin?: string} = {}): Promise<InProcessRun> {
  config ??= await Config.load(fileURLToPath(new URL('../..', import.meta.url)));
  const ui = testUi({stdin: options.stdin});
  const {foggy, calls} = recordingFoggy(answers);
  const run: InProcessRun = {ui, calls, result: undefined};
  const factory: CliFactory = {
    env: {},
    cwd: () => process.cwd(),
    ui: () => ui,
    foggy: () => foggy,
    setExitCode: (code) => {
      run.exitCode = code;
    },
    trapInterrupts: () => {},
    shortRun: () => {},
    manyRecords: () => {},
  };
  const instance = new (command as unknown as new (argv: string[], config: Config) => FoggyCommand)(argv, config);
  instance.factory = factory;
  // As oclif's Command.run names a command loaded without its plugin: by its class.
  instance.id ??= command.name.toLowerCase();
  run.result = await (instance as unknown as {_run(): Promise<unknown>})._run();
  return run;
}
