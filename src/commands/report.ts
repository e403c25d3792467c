import {Args, Flags} from '@oclif/core';
import type {ReportResult} from '../core/app/results.js';
import {usageError} from '../core/errors/foggy-error.js';
import {dateFlag} from '../cli/date-flag.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {renderReport} from '../cli/render/report.js';
import {DAY_MS, durationFlag} from '../grammar/duration-flag.js';

export default class Report extends FoggyCommand {
  static override summary = "How the team delivers and recovers: DORA's four keys from the record, with the counts behind each.";
  static override description = `Reads the channel when Slack is connected (every machine's runs), else the local journal (--local forces it), back only as far as the period needs, and counts each entry once however often it appears. Times are UTC; the period is [from, to).

  Deployment frequency   successful deploys started in the period, per day and per week
  Lead time for changes  from the deployed commit's time to the deploy's end, for successful deploys whose entry
                         names a commit whose time is known (recorded at deploy time, or from the git repository)
  Change failure rate    deploys that failed (failed, timed out or interrupted), or were followed by a restart of
                         the same service or by an incident on it before its next deploy (or the period's end),
                         over the deploys that finished in the period
  Time to restore        incidents resolved in the period, from opened to resolved (open ones counted apart)

Each key has its DORA 2023 band (elite, high, medium, low), or "no data" when there is nothing to count. Refused runs, unknown outcomes and unreadable entries are not counted, and said so.`;
  static override strict = false;
  static override args = {
    service: Args.string({description: 'Only these services (default: all).', ignoreStdin: true}),
  };
  static override flags = {
    since: durationFlag({description: 'The period: this long back from now (default 30d).', max: 3650 * DAY_MS, min: 60_000}),
    from: dateFlag({description: 'The period\'s start (YYYY-MM-DD, UTC), instead of --since.'}),
    to: dateFlag({description: 'The period\'s end (a date is included whole; default now).', endOfDay: true}),
    local: Flags.boolean({description: 'Read the local journal even when Slack is connected.', default: false}),
    channel: Flags.string({description: 'The channel to read (default: as for the verbs).'}),
    verbose: Flags.boolean({description: 'List the failing deploys, and the rules.', default: false}),
  };
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report web --since 90d', '<%= config.bin %> report --from 2026-11-01 --to 2026-11-30 --json', '<%= config.bin %> report --local --verbose'];

  async run(): Promise<ReportResult> {
    this.factory.manyRecords();
    const {argv, flags} = await this.parse(Report);
    if (flags.since !== undefined && flags.from !== undefined) throw usageError('--since and --from both give the period\'s start: give one of them.', `See "${this.config.bin} report --help".`);
    const result = await this.foggy.report({services: argv as string[], sinceMs: flags.since, from: flags.from, to: flags.to, local: flags.local, channel: flags.channel, configPath: flags.config});
    if (this.json) this.printJson(result);
    else renderReport(this.ui, result, {verbose: flags.verbose});
    return result;
  }
}
