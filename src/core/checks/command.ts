import type {CommandCheck} from '../catalog/types.js';
import {resolveCommand} from '../actions/command-line.js';
import {childEnvironment} from '../actions/child-env.js';
import {describeRun, runProcess} from '../actions/run-process.js';
import type {ProbeOutcome} from './types.js';

export async function probeCommand(check: CommandCheck, context: {cwd: string; service: string; signal: AbortSignal}): Promise<ProbeOutcome> {
  const command = resolveCommand(check.command, {verb: 'status', service: context.service});
  const result = await runProcess({
    argv: command.argv,
    cwd: context.cwd,
    env: childEnvironment(command.env),
    timeoutMs: check.timeoutMs,
    signal: context.signal,
    graceMs: 1_000,
  });
  const lastLine = result.output.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
  const how = describeRun(result, check.timeoutMs);
  const ok = result.exitCode === 0 && !result.timedOut && !result.interrupted;
  return {ok, detail: lastLine && !result.spawnError ? `${how}: ${lastLine}` : how};
}
