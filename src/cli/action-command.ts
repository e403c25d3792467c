import {Flags} from '@oclif/core';
import type {ActionDryRun, ActionResult} from '../core/app/results.js';
import type {ActionVerb} from '../core/catalog/types.js';
import {actionRequest, withWaitDefault} from '../grammar/verbs.js';
import {renderActionResult} from './render/verbs.js';
import {VerbCommand} from './verb-command.js';

export type ActionFlags = {config?: string; channel?: string; reason?: string; yes: boolean; confirm?: string; 'dry-run': boolean; 'require-mirror': boolean; wait?: number; ref?: string};

/** deploy and restart: parse, call the use case, render. */
export abstract class ActionCommand extends VerbCommand {
  static override baseFlags = {
    ...VerbCommand.baseFlags,
    yes: Flags.boolean({char: 'y', description: 'Confirm any protected service without the typed prompt.', default: false}),
    confirm: Flags.string({description: 'Confirm this protected service by name, without the prompt (scripts; a different name refuses).', helpValue: 'SERVICE'}),
    'require-mirror': Flags.boolean({description: 'Refuse to run (exit 3) unless the start of the run reaches the channel (also mirror.required in foggy.yml).', default: false}),
  };

  override async init(): Promise<void> {
    await super.init();
    this.argv = withWaitDefault(this.argv);
  }

  protected async runVerb(verb: ActionVerb, parsed: {args: {service: string}; flags: ActionFlags}): Promise<ActionResult | ActionDryRun> {
    const {flags} = parsed;
    const request = {...actionRequest(parsed, this.frontEnd(flags)), yes: flags.yes, confirm: flags.confirm};
    const result = await this.foggy[verb](request);
    if (this.json) this.printJson(result);
    else renderActionResult(this.ui, result);
    if (!('dryRun' in result)) this.setExitCode(result.exitCode);
    return result;
  }
}
