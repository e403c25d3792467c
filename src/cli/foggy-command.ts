import {Command, Flags} from '@oclif/core';
import type {Foggy} from '../core/app/foggy.js';
import {FoggyError, usageError} from '../core/errors/foggy-error.js';
import {ExitCode} from './exit-codes.js';
import {printableBlock} from '../core/text/printable.js';
import {cli} from './factory.js';
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
    json: Flags.boolean({description: 'Print a JSON object on stdout instead of text (its schema: schema/json/ in the package).', default: false}),
    config: Flags.string({description: 'Path to foggy.yml (default: found from the working directory upward; env FOGGY_CONFIG).', helpGroup: 'GLOBAL'}),
  };

  protected ui!: Ui;
  protected json = false;
  protected foggy!: Foggy;
  private readonly interrupt = new AbortController();
  /** Aborted on SIGINT/SIGTERM once trapInterrupts() is called: the use case stops its children and records it. */
  protected readonly signal = this.interrupt.signal;

  override async init(): Promise<void> {
    this.json = this.argv.includes('--json');
    this.ui = cli.factory.ui();
    await super.init();
    this.foggy = cli.factory.foggy(this.ui, {json: this.json, signal: this.signal});
  }

  /** For commands that stop cleanly on Ctrl-C (the verbs, log -f): the first signal aborts, a second exits. */
  protected trapInterrupts(): void {
    cli.factory.trapInterrupts(this.interrupt);
  }

  protected printJson(value: unknown): void {
    this.ui.json(value);
  }

  protected setExitCode(code: number): void {
    cli.factory.setExitCode(code);
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; parse?: unknown}): Promise<void> {
    this.ui ??= cli.factory.ui();
    // oclif's own parse errors (a missing argument, an unknown flag, a bad value) become one usage line too.
    if (!(error instanceof FoggyError) && (error.parse !== undefined || error.oclif?.exit === 2 || /^Parsing --[\w-]+ /.test(error.message))) {
      const lines = error.message
        // A flag's own parser failed: "--wait: why", as every other usage line names its flag.
        .replace(/^Parsing (--[\w-]+)\s*\n\s*/, '$1: ')
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !/^The following errors occurred:|^See more help with --help/.test(line));
      error = usageError(lines.join('; '), `See "${this.config.bin} ${(this.id ?? '').split(':').join(' ')} --help".`);
    }
    const failure = error instanceof FoggyError ? error : classify(error);
    const {message, hint} = cliPhrase(failure);
    this.ui.error(message);
    if (hint) this.ui.streams.stderr.write(`${printableBlock(hint)}\n`);
    if (failure.exitCode === ExitCode.internal && process.env.FOGGY_DEBUG) this.ui.streams.stderr.write(`${error.stack ?? String(error)}\n`);
    if (this.json) this.printJson({ok: false, error: {message, hint, exitCode: failure.exitCode}});
    this.setExitCode(failure.exitCode);
  }
}
