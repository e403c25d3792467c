import {shellFlags} from '../grammar/shell-flags.js';
import {verbFlags, type FrontEnd} from '../grammar/verbs.js';
import {typedCommandLine} from './command-line.js';
import {FoggyCommand} from './foggy-command.js';

/**
 * Base of the verbs (status, deploy, restart): the grammar's flags plus the shell's own, and Ctrl-C handled,
 * so that the use case can stop its children and record the interruption.
 */
export abstract class VerbCommand extends FoggyCommand {
  static override baseFlags = {
    ...FoggyCommand.baseFlags,
    channel: shellFlags.channel,
    ...verbFlags,
  };

  /** The words as typed, before any rewriting for the parser: what the entry shows. */
  private typedArgv: string[] = [];

  override async init(): Promise<void> {
    this.typedArgv = [...this.argv];
    this.trapInterrupts();
    await super.init();
  }

  /** What the shell adds to the grammar's request: its options, and the command line as typed. */
  protected frontEnd(flags: {config?: string; channel?: string; 'require-mirror'?: boolean}): FrontEnd {
    return {configPath: flags.config, channel: flags.channel, requireMirror: flags['require-mirror'], commandLine: typedCommandLine(this.config.bin, this.id!, this.typedArgv)};
  }
}
