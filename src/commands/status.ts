import {EXIT_CODES_HELP} from '../core/exit-codes.js';
import {Args} from '@oclif/core';
import {selectServices} from '../core/catalog/lookup.js';
import {maskDeep} from '../core/mask/masker.js';
import {runStatus} from '../core/verbs/status.js';
import {renderStatus} from '../cli/render/status.js';
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
    const {argv, flags} = await this.parse(Status);
    const session = await this.openSession(flags);
    const services = selectServices(session.catalog, argv as string[]);
    const entry = this.entryFor(session, services, {verb: 'status', args: {}, reason: flags.reason});

    if (flags['dry-run']) {
      if (this.json) return this.printJson({dryRun: true, entry, checks: maskDeep(services.map((s) => ({service: s.name, checks: s.checks})), session.mask)});
      for (const service of services) this.ui.out(session.mask(`${service.name}: ${service.checks.map((c) => `${c.type} ${c.name}`).join(', ') || 'no checks'}`));
      this.ui.note('Dry run: nothing was checked or recorded.');
      return;
    }

    let statuses: Awaited<ReturnType<typeof runStatus>>['statuses'] = [];
    const done = await this.ui.spin(`Checking ${services.length} service${services.length === 1 ? '' : 's'}…`, () =>
      session.recorder.run(
        entry,
        async (signal) => {
          const result = await runStatus(session.catalog, services, signal);
          // What is printed is masked like what is recorded: check names carry URLs, details carry output.
          statuses = maskDeep(result.statuses, session.mask);
          return result;
        },
        {announce: false},
      ),
    );

    if (this.json) {
      this.printJson({ok: done.outcome === 'succeeded', entry: done.id, outcome: done.outcome, services: statuses});
    } else {
      for (const line of renderStatus(this.ui, statuses)) this.ui.out(line);
    }
    process.exitCode = done.exitCode;
  }
}
