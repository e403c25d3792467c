import {Flags} from '@oclif/core';
import {buildEntry, type Invocation} from '../core/entry/build.js';
import type {Service} from '../core/catalog/types.js';
import type {Entry} from '../core/entry/types.js';
import {FoggyError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {checkChannel, checkText, MAX_REASON_LENGTH} from '../core/limits.js';
import {openSession, type Session} from '../core/session.js';
import {FoggyCommand} from './foggy-command.js';
import {interruptSignal} from './interrupt.js';

/**
 * Base of the verbs (status, deploy, restart). It opens the session whose recorder wraps every run,
 * so a verb only says what to do; recording and mirroring happen around it, on every path.
 */
export abstract class VerbCommand extends FoggyCommand {
  static override baseFlags = {
    ...FoggyCommand.baseFlags,
    channel: Flags.string({description: 'Slack channel for this run\'s entry (#name or id; env FOGGY_CHANNEL).'}),
    reason: Flags.string({description: 'Why you are doing this; shown in the entry.'}),
    'dry-run': Flags.boolean({description: 'Show what would run and the entry that would be recorded; run and record nothing.', default: false}),
  };

  protected readonly signal = interruptSignal();

  protected async openSession(flags: {config?: string; channel?: string; reason?: string; 'require-mirror'?: boolean}): Promise<Session> {
    checkChannel(flags.channel);
    checkChannel(process.env.FOGGY_CHANNEL || undefined, 'FOGGY_CHANNEL');
    checkText(flags.reason, '--reason', MAX_REASON_LENGTH);
    const session = await openSession({configPath: flags.config, channel: flags.channel, requireMirror: flags['require-mirror'], signal: this.signal, note: (line) => this.ui.note(line), entryScript: process.argv[1]});
    // Ctrl-C while the catalog loaded: stop here, before anything runs.
    if (this.signal.aborted) throw new FoggyError('Interrupted before anything ran.', {exitCode: ExitCode.interrupted});
    return session;
  }

  protected entryFor(session: Session, services: Service[], invocation: Omit<Invocation, 'argv' | 'services' | 'channel'>): Entry {
    return buildEntry({...invocation, services: services.map((s) => s.name), channel: session.channelFor(services), argv: [...this.id!.split(':'), ...this.argv]}, session.catalog, session.mask);
  }

  /** Records a refusal (exit 3) and stops. */
  protected async refuse(session: Session, entry: Entry, error: FoggyError): Promise<never> {
    await session.recorder.refuse(entry, error.message);
    throw error;
  }
}
