import type {Approval} from '../core/run/approval.js';
import {shellFlags} from '../grammar/shell-flags.js';
import {actionRequest, withWaitDefault} from '../grammar/verbs.js';
import {actionOutput, type ActionOutput} from './outputs.js';
import {renderActionResult} from './render/verbs.js';
import {VerbCommand} from './verb-command.js';

export type ActionFlags = {config?: string; channel?: string; reason?: string; yes: boolean; confirm?: string; 'dry-run': boolean; 'require-mirror': boolean; wait?: number; ref?: string};

/** deploy, restart and rollback: parse, call the use case, render. */
export abstract class ActionCommand extends VerbCommand {
  static override baseFlags = {
    ...VerbCommand.baseFlags,
    yes: shellFlags.yes,
    confirm: shellFlags.confirm,
    'require-mirror': shellFlags['require-mirror'],
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = withWaitDefault(this.argv);
  }

  protected async runVerb(verb: 'deploy' | 'restart', parsed: {args: {service: string}; flags: ActionFlags}): Promise<ActionOutput> {
    const request = {...actionRequest(parsed, this.frontEnd(parsed.flags)), approval: approvalOf(parsed.flags)};
    return this.render(await this.foggy[verb](request));
  }

  /** The result printed (or rendered), and the exit code its outcome means to a shell. */
  protected render(useCaseResult: Parameters<typeof actionOutput>[0]): ActionOutput {
    const result = actionOutput(useCaseResult);
    if (this.json) this.printJson(result);
    else renderActionResult(this.ui, result);
    if (!('dryRun' in result)) this.setExitCode(result.exitCode);
    return result;
  }
}

/** The shell's ways of saying yes before being asked: --confirm SERVICE (it wins), or --yes. */
export function approvalOf(flags: {yes: boolean; confirm?: string}): Approval | undefined {
  if (flags.confirm !== undefined) return {how: 'named', service: flags.confirm};
  return flags.yes ? {how: 'any'} : undefined;
}
