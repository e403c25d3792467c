import {Flags} from '@oclif/core';
import {findAction, findService} from '../core/catalog/lookup.js';
import type {ActionVerb} from '../core/catalog/types.js';
import {displayCommand} from '../core/actions/command-line.js';
import {formatDuration, parseDuration} from '../core/duration.js';
import {FoggyError, refusal, usageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {checkText, MAX_REF_LENGTH} from '../core/limits.js';
import {lockService} from '../core/locks/service-lock.js';
import {maskDeep} from '../core/mask/masker.js';
import {stateDir} from '../core/paths.js';
import {planAction, runAction} from '../core/verbs/action.js';
import {confirmProtected} from './confirm.js';
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

/** deploy and restart: one flow, run a service's action under the recorder. */
export abstract class ActionCommand extends VerbCommand {
  static override baseFlags = {
    ...VerbCommand.baseFlags,
    yes: Flags.boolean({char: 'y', description: 'Confirm a protected service without the typed prompt.', default: false}),
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

  protected async runVerb(
    verb: ActionVerb,
    serviceName: string,
    flags: {config?: string; channel?: string; reason?: string; yes: boolean; 'dry-run': boolean; 'require-mirror': boolean; wait?: string},
    ref?: string,
  ): Promise<void> {
    checkText(ref, '--ref', MAX_REF_LENGTH);
    let waitMs = 0;
    if (flags.wait !== undefined) {
      if (!isDuration(flags.wait)) throw usageError(`--wait: not a duration: ${JSON.stringify(flags.wait)} (expected e.g. 30s, 10m)`);
      waitMs = parseDuration(flags.wait);
    }
    const session = await this.openSession(flags);
    const service = findService(session.catalog, serviceName);
    const plan = planAction(session.catalog, service, verb, findAction(service, verb), ref);
    const args: Record<string, string> = ref === undefined ? {} : {ref};
    const entry = this.entryFor(session, [service], {verb, args, reason: flags.reason, command: displayCommand(plan.command)});

    if (flags['dry-run']) {
      const mask = session.mask;
      if (this.json) return this.printJson(maskDeep({dryRun: true, command: plan.command.argv, shell: plan.command.shell, cwd: plan.cwd, env: plan.command.env, timeoutMs: plan.action.timeoutMs, entry}, mask));
      this.ui.out(mask(`Would run: ${displayCommand(plan.command)}${plan.command.shell ? '   (with sh -c)' : ''}`));
      this.ui.out(mask(`      in: ${plan.cwd}`));
      for (const [name, value] of Object.entries(plan.command.env)) this.ui.out(`    with: ${name}=${mask(value)}`);
      this.ui.out(` timeout: ${formatDuration(plan.action.timeoutMs)}`);
      this.ui.note('Dry run: nothing was run or recorded.');
      return;
    }

    // One deploy or restart of a service at a time on this machine; asked before the confirmation,
    // so nobody types a service's name only to be told someone else is at it.
    const locked = await lockService({stateDir: stateDir(), service: service.name, verb, entry: entry.id, waitMs, signal: this.signal, onWait: (message) => this.ui.note(`${message}; waiting up to ${formatDuration(waitMs)}…`)});
    if (!locked.acquired) {
      const error = locked.interrupted
        ? new FoggyError(`Interrupted while waiting: ${locked.message}. Nothing ran.`, {exitCode: ExitCode.interrupted})
        : refusal(`${locked.message}. Nothing ran.`, waitMs > 0 ? `It was still running after ${formatDuration(waitMs)}.` : 'Pass --wait [DURATION] to wait for it to finish.');
      await this.refuse(session, entry, error);
    }

    let done;
    try {
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
      done = await session.recorder.run(
        entry,
        (signal) =>
          runAction(plan, {
            signal,
            onOutput: (chunk, stream) => (this.json || stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
          }),
        {announce: true},
      );
    } finally {
      if (locked.acquired) locked.lock.release();
    }

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
