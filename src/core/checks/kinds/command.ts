import {childEnvironment} from '../../actions/child-env.js';
import {resolveCommand} from '../../actions/command-line.js';
import {describeRun, runProcess} from '../../actions/run-process.js';
import type {CheckKind} from './kind.js';
import {settleWithin} from './settle.js';
import type {CommandLine} from '../../actions/types.js';
import type {CommandCheck} from '../check-types.js';

/** `command: [argv…]` or a shell string: the service is up when it exits 0. */
export const commandKind: CheckKind<CommandCheck> = {
  type: 'command',
  key: 'command',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: {type: 'string'},
      command: {$ref: '#/definitions/commandLine'},
      timeout: {$ref: '#/definitions/duration'},
    },
  },
  // A shell string uses ${VAR} itself, at run time.
  variables: {keys: []},

  normalise(raw, {path, located, timeoutMs}) {
    const command = raw.command as CommandLine;
    const program = Array.isArray(command) ? command[0] : command;
    if (!program || !program.trim()) throw located([...path, 'command'], `expected a command to run (got ${JSON.stringify(command)})`);
    return {type: 'command', name: (raw.name as string | undefined) ?? [command].flat().join(' '), command, timeoutMs};
  },

  secrets: () => [],

  // A killed command gets a grace period to end: it may outlive the deadline, the check does not.
  probe(check, deadline, context, settle) {
    // Its pipes: stdin, stdout, stderr and the spawn's own.
    settleWithin(() => run(check, {...context, signal: deadline.signal}), deadline, settle, 4);
  },
};

async function run(check: CommandCheck, context: {cwd: string; service: string; env: NodeJS.ProcessEnv; signal: AbortSignal}) {
  const command = resolveCommand(check.command, {verb: 'status', service: context.service});
  const result = await runProcess({
    argv: command.argv,
    cwd: context.cwd,
    env: childEnvironment(command.env, context.env),
    timeoutMs: check.timeoutMs,
    signal: context.signal,
    graceMs: 1_000,
  });
  const lastLine = result.output.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
  const how = describeRun(result, check.timeoutMs);
  const ok = result.exitCode === 0 && !result.timedOut && !result.interrupted;
  return {ok, detail: lastLine && !result.spawnError ? `${how}: ${lastLine}` : how};
}
