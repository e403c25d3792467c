import type {Action, ActionVerb, Catalog, Service} from '../catalog/types.js';
import {resolveCommand, type ResolvedCommand} from '../actions/command-line.js';
import {childEnvironment} from '../actions/child-env.js';
import {describeRun, runProcess} from '../actions/run-process.js';
import type {WorkResult} from './recorder.js';

export interface ActionPlan {
  verb: ActionVerb;
  service: Service;
  action: Action;
  command: ResolvedCommand;
  cwd: string;
  ref?: string;
}

export function planAction(catalog: Catalog, service: Service, verb: ActionVerb, action: Action, ref?: string): ActionPlan {
  const command = resolveCommand(action.run, {verb, service: service.name, ref}, action.env);
  return {verb, service, action, command, cwd: catalog.dir, ...(ref === undefined ? {} : {ref})};
}

export async function runAction(
  plan: ActionPlan,
  options: {signal: AbortSignal; env: NodeJS.ProcessEnv; onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void; graceMs?: number},
): Promise<WorkResult> {
  const result = await runProcess({
    argv: plan.command.argv,
    cwd: plan.cwd,
    env: childEnvironment(plan.command.env, options.env),
    timeoutMs: plan.action.timeoutMs,
    signal: options.signal,
    onOutput: options.onOutput,
    graceMs: options.graceMs,
  });
  const how = describeRun(result, plan.action.timeoutMs);
  const succeeded = result.exitCode === 0 && !result.timedOut && !result.interrupted && !result.spawnError;
  const outcome = result.interrupted ? 'interrupted' : result.timedOut ? 'timed_out' : succeeded ? 'succeeded' : 'failed';
  return {
    output: result.output,
    end: {
      outcome,
      summary: `${plan.verb} ${plan.service.name}${plan.verb === 'rollback' && plan.ref !== undefined ? ` to ${plan.ref}` : ''} ${succeeded ? 'succeeded' : result.interrupted || result.timedOut ? how : `failed: ${how}`}`,
      output: {bytes: result.outputBytes, truncated: result.outputTruncated},
    },
  };
}
