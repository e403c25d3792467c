import {Command} from '@oclif/core';
import type {Foggy} from '../core/app/foggy.js';
import {FoggyError, usageError} from '../core/errors/foggy-error.js';
import {printableBlock} from '../core/text/printable.js';
import {parseProblemLine} from '../grammar/parse-errors.js';
import {shellFlags} from '../grammar/shell-flags.js';
import {ExitCode, exitCodeForFailure} from './exit-codes.js';
import {processFactory, type CliFactory} from './factory.js';
import {classify} from './failure.js';
import {cliPhrase} from './phrases.js';
import type {Ui} from './ui.js';

/**
 * Base of every foggy command: the shared flags, one Ui, the use cases wired for this terminal, and one
 * way errors reach the user (a line on stderr, the documented exit code, and a JSON error object on
 * stdout with --json). A command only parses, calls one use case, and renders or prints its result.
 */
export abstract class FoggyCommand extends Command {
  static override baseFlags = {
    json: shellFlags.json,
    config: shellFlags.config,
  };

  /** What the command is given (environment, streams, use cases, exit code): the process's, unless a test hands its own. */
  factory: CliFactory = processFactory;
  protected ui!: Ui;
  protected json = false;
  protected foggy!: Foggy;
  private readonly interrupt = new AbortController();
  /** Aborted on SIGINT/SIGTERM once trapInterrupts() is called: the use case stops its children and records it. */
  protected readonly signal = this.interrupt.signal;

  override async init(): Promise<void> {
    this.json = this.argv.includes('--json');
    this.ui = this.factory.ui();
    await super.init();
    this.foggy = this.factory.foggy(this.ui, {json: this.json, signal: this.signal});
  }

  /** For commands that stop cleanly on Ctrl-C (the verbs, log -f): the first signal aborts, a second exits. */
  protected trapInterrupts(): void {
    this.factory.trapInterrupts(this.interrupt);
  }

  protected printJson(value: unknown): void {
    this.ui.json(value);
  }

  protected setExitCode(code: number): void {
    this.factory.setExitCode(code);
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; parse?: unknown}): Promise<void> {
    this.ui ??= this.factory.ui();
    // oclif's own parse errors (a missing argument, an unknown flag, a bad value) become one usage line too.
    if (!(error instanceof FoggyError) && (error.parse !== undefined || error.oclif?.exit === 2 || /^Parsing --[\w-]+ /.test(error.message))) {
      error = usageError(parseProblemLine(error.message), `See "${this.config.bin} ${(this.id ?? '').split(':').join(' ')} --help".`);
    }
    const failure = classify(error, this.factory.env);
    const exitCode = exitCodeForFailure(failure.kind);
    const {message, hint} = cliPhrase(failure);
    this.ui.error(message);
    if (hint) this.ui.streams.stderr.write(`${printableBlock(hint)}\n`);
    if (exitCode === ExitCode.internal && this.factory.env.FOGGY_DEBUG) this.ui.streams.stderr.write(`${error.stack ?? String(error)}\n`);
    if (this.json) this.printJson({ok: false, error: {message, hint, exitCode}});
    this.setExitCode(exitCode);
  }
}
