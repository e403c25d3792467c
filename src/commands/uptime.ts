import {resolve} from 'node:path';
import {Args, Flags} from '@oclif/core';
import type {HistoryView} from '../core/history/view.js';
import {usageError} from '../core/errors/foggy-error.js';
import {dateFlag} from '../cli/date-flag.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {renderUptime} from '../cli/render/uptime.js';
import {DAY_MS, durationFlag} from '../grammar/duration-flag.js';

export default class Uptime extends FoggyCommand {
  static override summary = 'Uptime, response times and incidents from the watcher\'s samples; --html writes the status page as files.';
  static override description = `Reads the history foggy watch keeps (the state directory's, or the team's database with coordination on): per service, uptime over 24h, 7d, 30d and 90d (or the period given), the time down, quiet and without data, the incidents and their lengths, p50 and p95 response times, and the last 30 days as a line.

Uptime is time up over time watched: time when no watcher ran is "no data", never up, and quiet time (a deploy's grace, a silence, a maintenance window) is counted apart, never as down.

--html DIR writes the status page that foggy watch --listen serves, with its badges and its JSON, as static files for any static host.`;
  static override strict = false;
  static override args = {
    service: Args.string({description: 'Services to show (default: all).', ignoreStdin: true}),
  };
  static override flags = {
    since: durationFlag({description: 'One period: this long back from now (instead of 24h, 7d, 30d and 90d).', min: 60_000, max: 5 * 365 * DAY_MS}),
    from: dateFlag({description: 'One period from this date (YYYY-MM-DD, UTC) or time.'}),
    to: dateFlag({description: 'The period\'s end (a date is included whole; default now).', endOfDay: true}),
    html: Flags.string({description: 'Write the status page (and its badges and JSON) as static files into this directory.', helpValue: 'DIR'}),
  };
  static override examples = ['<%= config.bin %> uptime', '<%= config.bin %> uptime web --since 7d', '<%= config.bin %> uptime --from 2026-11-01 --to 2026-11-30 --json', '<%= config.bin %> uptime --html public/'];

  async run(): Promise<HistoryView> {
    const {argv, flags} = await this.parse(Uptime);
    if (flags.since !== undefined && flags.from !== undefined) throw usageError('--since and --from both give the period\'s start: give one of them.', `See "${this.config.bin} uptime --help".`);
    const now = Date.now();
    const period = flags.since !== undefined ? {from: now - flags.since, to: now} : flags.from !== undefined || flags.to !== undefined ? {from: flags.from ?? (flags.to ?? now) - 30 * DAY_MS, to: flags.to ?? now} : undefined;
    const view = await this.foggy.uptime({services: argv as string[], period, configPath: flags.config});
    if (flags.html) {
      const {exportPage} = await import('../page/export.js');
      const catalog = await this.foggy.catalog({configPath: flags.config});
      const dir = resolve(this.factory.cwd(), flags.html);
      const written = exportPage(view, dir, {title: catalog.page.title ?? 'foggy status'});
      this.ui.note(`Wrote ${written.length} files into ${dir} (index.html, badges, api/v1/).`);
    }
    if (this.json) this.printJson(view);
    else renderUptime(this.ui, view);
    return view;
  }
}
