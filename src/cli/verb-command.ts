import {Flags} from '@oclif/core';
import type {VerbOptions} from '../core/app/context.js';
import {FoggyCommand} from './foggy-command.js';

/**
 * Base of the verbs (status, deploy, restart): their shared flags, and Ctrl-C handled, so that the use
 * case can stop its children and record the interruption.
 */
export abstract class VerbCommand extends FoggyCommand {
  static override baseFlags = {
    ...FoggyCommand.baseFlags,
    channel: Flags.string({description: 'Slack channel for this run\'s entry (#name or id; env FOGGY_CHANNEL).'}),
    reason: Flags.string({description: 'Why you are doing this; shown in the entry.'}),
    'dry-run': Flags.boolean({description: 'Show what would run, the entry that would be recorded and the message that would be posted; run and record nothing.', default: false}),
  };

  override async init(): Promise<void> {
    this.trapInterrupts();
    await super.init();
  }

  protected verbOptions(flags: {config?: string; channel?: string; reason?: string; 'require-mirror'?: boolean}): VerbOptions {
    return {configPath: flags.config, channel: flags.channel, reason: flags.reason, requireMirror: flags['require-mirror']};
  }

  /** What the entry shows as typed: the command and its arguments. */
  protected typed(): string[] {
    return [...this.id!.split(':'), ...this.argv];
  }

  /** The message a dry run would post, and where. */
  protected renderPreview(message: {channel?: string; text: string}): void {
    this.ui.out(message.channel ? `Would post to ${message.channel}: ${message.text}` : 'Would record in the local journal only (Slack is not connected).');
  }
}
