import {Command, Flags} from '@oclif/core';
import {FoggyError, usageError} from '../core/errors.js';
import {printableBlock} from '../core/printable.js';
import {createUi, type Ui} from './ui.js';

/**
 * Base of every foggy command: the shared flags, one Ui, and one way errors reach the user
 * (a line on stderr, the documented exit code, and a JSON error object on stdout with --json).
 */
export abstract class FoggyCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({description: 'Print a JSON object on stdout instead of text.', default: false}),
    config: Flags.string({description: 'Path to foggy.yml (default: found from the working directory upward; env FOGGY_CONFIG).', helpGroup: 'GLOBAL'}),
  };

  protected ui!: Ui;
  protected json = false;

  override async init(): Promise<void> {
    await super.init();
    this.ui = createUi();
    this.json = this.argv.includes('--json');
  }

  protected printJson(value: unknown): void {
    process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}; parse?: unknown}): Promise<void> {
    // oclif's own parse errors (a missing argument, an unknown flag, a bad value) become one usage line too.
    if (!(error instanceof FoggyError) && (error.parse !== undefined || error.oclif?.exit === 2)) {
      const lines = error.message
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !/^The following errors occurred:|^See more help with --help/.test(line));
      error = usageError(lines.join('; '), `See "${this.config.bin} ${(this.id ?? '').split(':').join(' ')} --help".`);
    }
    if (!(error instanceof FoggyError)) throw error;
    this.ui.error(error.message);
    if (error.hint) process.stderr.write(`${printableBlock(error.hint)}\n`);
    if (this.json) this.printJson({ok: false, error: {message: error.message, hint: error.hint, exitCode: error.exitCode}});
    process.exitCode = error.exitCode;
  }
}
