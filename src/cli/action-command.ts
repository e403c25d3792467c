import {Flags} from '@oclif/core';
import {findAction, findService} from '../core/catalog/lookup.js';
import type {ActionVerb} from '../core/catalog/types.js';
import {displayCommand} from '../core/actions/command-line.js';
import {formatDuration} from '../core/duration.js';
import {FoggyError, refusal} from '../core/errors.js';
import {planAction, runAction} from '../core/verbs/action.js';
import {confirmProtected} from './confirm.js';
import {VerbCommand} from './verb-command.js';

/** deploy and restart: one flow, run a service's action under the recorder. */
export abstract class ActionCommand extends VerbCommand {
  static override baseFlags = {
    ...VerbCommand.baseFlags,
    yes: Flags.boolean({char: 'y', description: 'Confirm a protected service without the typed prompt.', default: false}),
    'require-mirror': Flags.boolean({description: 'Refuse to run (exit 3) unless the start of the run reaches the channel (also mirror.required in foggy.yml).', default: false}),
  };

  protected async runVerb(verb: ActionVerb, serviceName: string, flags: {config?: string; channel?: string; reason?: string; yes: boolean; 'dry-run': boolean; 'require-mirror': boolean}, ref?: string): Promise<void> {
    const session = await this.openSession(flags);
    const service = findService(session.catalog, serviceName);
    const plan = planAction(session.catalog, service, verb, findAction(service, verb), ref);
    const args: Record<string, string> = ref === undefined ? {} : {ref};
    const entry = this.entryFor(session, [service], {verb, args, reason: flags.reason, command: displayCommand(plan.command)});

    if (flags['dry-run']) {
      if (this.json) return this.printJson({dryRun: true, command: plan.command.argv, shell: plan.command.shell, cwd: plan.cwd, env: plan.command.env, timeoutMs: plan.action.timeoutMs, entry});
      this.ui.out(`Would run: ${displayCommand(plan.command)}${plan.command.shell ? '   (with sh -c)' : ''}`);
      this.ui.out(`      in: ${plan.cwd}`);
      for (const [name, value] of Object.entries(plan.command.env)) this.ui.out(`    with: ${name}=${value}`);
      this.ui.out(` timeout: ${formatDuration(plan.action.timeoutMs)}`);
      this.ui.note('Dry run: nothing was run or recorded.');
      return;
    }

    if (service.protected) {
      try {
        await confirmProtected(service.name, verb, {yes: flags.yes});
      } catch (error) {
        if (error instanceof FoggyError) await this.refuse(session, entry, error);
        throw error;
      }
    }

    // The action's own output goes to the terminal as it happens; with --json it moves to stderr,
    // so stdout holds nothing but the result object.
    const done = await session.recorder.run(
      entry,
      (signal) =>
        runAction(plan, {
          signal,
          onOutput: (chunk, stream) => (this.json || stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
        }),
      {announce: true},
    );

    if (done.outcome === 'refused') throw refusal(done.summary ?? 'refused');
    if (this.json) {
      this.printJson({ok: done.outcome === 'succeeded', entry: done.id, verb, service: service.name, outcome: done.outcome, exitCode: done.exitCode, durationMs: done.durationMs, summary: done.summary, output: done.output});
    } else {
      const mark = done.outcome === 'succeeded' ? this.ui.symbols.ok : this.ui.symbols.fail;
      process.stderr.write(`${mark} ${done.summary} in ${formatDuration(done.durationMs ?? 0)}\n`);
    }
    process.exitCode = done.exitCode;
  }
}
