import {Args} from '@oclif/core';
import {EXIT_CODES_HELP} from '../core/exit-codes.js';
import {renderStatus} from '../cli/render/status.js';
import {optimiseNoMore} from '../cli/short-run.js';
import {VerbCommand} from '../cli/verb-command.js';

export default class Status extends VerbCommand {
  static override summary = 'Check whether services are up.';
  static override description = 'Runs every status check of the named services (all when none is named) in parallel, each with its own timeout. A service is up when all its checks pass.' + `\n\n${EXIT_CODES_HELP}`;
  static override strict = false;
  static override args = {
    service: Args.string({description: 'Services to check (default: all).'}),
  };
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status web db', '<%= config.bin %> status web --json'];

  async run(): Promise<void> {
    optimiseNoMore();
    const {argv, flags} = await this.parse(Status);
    const result = await this.foggy.status({...this.verbOptions(flags), services: argv as string[], dryRun: flags['dry-run'], argv: this.typed()});
    if (this.json) this.printJson(result);
    if ('dryRun' in result) {
      if (this.json) return;
      for (const {service, checks} of result.checks) this.ui.out(`${service}: ${(checks as {type: string; name: string}[]).map((c) => `${c.type} ${c.name}`).join(', ') || 'no checks'}`);
      this.renderPreview(result.message);
      this.ui.note('Dry run: nothing was checked or recorded.');
      return;
    }
    if (!this.json) {
      // One write: a thousand services are a thousand lines, and each write to a pipe is a system call.
      const lines = renderStatus(this.ui, result.services);
      if (lines.length > 0) this.ui.out(lines.join('\n'));
      if (result.permalink) this.ui.note(`Posted: ${result.permalink}`);
    }
    process.exitCode = result.exitCode;
  }
}
