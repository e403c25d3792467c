import {Flags} from '@oclif/core';
import type {ActionVerb} from '../core/catalog/types.js';
import type {ActionDryRun, ActionResult} from '../core/app/results.js';
import {formatDuration, parseDuration} from '../core/duration.js';
import {durationOption} from '../core/duration-option.js';
import {VerbCommand} from './verb-command.js';

const DEFAULT_WAIT = '10m';

function isDuration(value: string | undefined): boolean {
  if (value === undefined) return false;
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

export type ActionFlags = {config?: string; channel?: string; reason?: string; yes: boolean; confirm?: string; 'dry-run': boolean; 'require-mirror': boolean; wait?: string};

/** deploy and restart: parse, call the use case, render. */
export abstract class ActionCommand extends VerbCommand {
  static override baseFlags = {
    ...VerbCommand.baseFlags,
    yes: Flags.boolean({char: 'y', description: 'Confirm any protected service without the typed prompt.', default: false}),
    confirm: Flags.string({description: 'Confirm this protected service by name, without the prompt (scripts; a different name refuses).', helpValue: 'SERVICE'}),
    'require-mirror': Flags.boolean({description: 'Refuse to run (exit 3) unless the start of the run reaches the channel (also mirror.required in foggy.yml).', default: false}),
    wait: Flags.string({
      description: `When another deploy or restart of the service is running on this machine, wait for it (up to DURATION, default ${DEFAULT_WAIT}) instead of refusing (exit 3).`,
      helpValue: '[DURATION]',
    }),
  };

  /** `--wait` may stand alone: give it the default duration unless a duration follows. */
  override async init(): Promise<void> {
    const at = this.argv.indexOf('--wait');
    if (at !== -1 && !isDuration(this.argv[at + 1])) this.argv.splice(at, 1, `--wait=${DEFAULT_WAIT}`);
    await super.init();
  }

  protected async runVerb(verb: ActionVerb, service: string, flags: ActionFlags, ref?: string): Promise<void> {
    const request = {
      ...this.verbOptions(flags),
      service,
      ref,
      dryRun: flags['dry-run'],
      yes: flags.yes,
      confirm: flags.confirm,
      waitMs: flags.wait === undefined ? 0 : durationOption('--wait', flags.wait),
      argv: this.typed(),
    };
    const result = await this.foggy[verb](request);
    if (this.json) this.printJson(result);
    if ('dryRun' in result) {
      if (!this.json) this.renderDryRun(result);
      return;
    }
    if (!this.json) this.renderDone(result);
    process.exitCode = result.exitCode;
  }

  private renderDryRun(plan: ActionDryRun): void {
    this.ui.out(`Would run: ${plan.shell ? plan.command[2] : plan.command.join(' ')}${plan.shell ? '   (with sh -c)' : ''}`);
    this.ui.out(`      in: ${plan.cwd}`);
    for (const [name, value] of Object.entries(plan.env)) this.ui.out(`    with: ${name}=${value}`);
    this.ui.out(` timeout: ${formatDuration(plan.timeoutMs)}`);
    this.ui.out(`confirm: ${plan.confirmation === 'would ask' ? 'would ask for the service name (protected; --confirm SERVICE or --yes skips it)' : plan.confirmation === 'given' ? 'given on the command line' : 'not needed'}`);
    this.renderPreview(plan.message);
    this.ui.note('Dry run: nothing was run or recorded.');
  }

  private renderDone(done: ActionResult): void {
    const mark = done.outcome === 'succeeded' ? this.ui.symbols.ok : this.ui.symbols.fail;
    process.stderr.write(`${mark} ${done.summary} in ${formatDuration(done.durationMs ?? 0)}\n`);
    if (done.permalink) this.ui.note(`Posted: ${done.permalink}`);
  }
}
