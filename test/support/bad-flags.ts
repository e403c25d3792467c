import type {Command} from '@oclif/core';
import Deploy from '../../src/commands/deploy.js';
import Log from '../../src/commands/log.js';
import Outbox from '../../src/commands/outbox.js';
import Report from '../../src/commands/report.js';
import Status from '../../src/commands/status.js';
import Watch from '../../src/commands/watch.js';

/**
 * Flags a parse alone refuses: each is a usage error (exit 2) naming the flag, and nothing reaches a use
 * case. Run in process (test/unit/commands.test.ts); counted with the hostile-input suite's cases.
 */
export const BAD_FLAGS: [string, typeof Command, string[], RegExp][] = [
  ['a duration past what a timer holds', Deploy, ['web', '--wait', '99999h'], /^Error: --wait: expected a duration from 0s to 24h \(got "99999h"\)$/m],
  ['--wait that is no duration', Deploy, ['web', '--wait=soon'], /^Error: --wait: not a duration: "soon"/m],
  ['--timeout that is no duration', Outbox, ['--flush', '--timeout', 'soon'], /^Error: --timeout: not a duration: "soon"/m],
  ['a zero interval', Watch, ['--interval', '0s'], /^Error: --interval: expected a duration from 1ms to 24h/m],
  ['a negative timeout', Outbox, ['--flush', '--timeout', '-1s'], /^Error: --timeout/m],
  ['since that is no duration', Log, ['--since', 'yesterday'], /^Error: --since: not a duration/m],
  ['deploy without a service', Deploy, ['--ref', 'v2'], /^Error: Missing 1 required arg:/m],
  ['an unknown flag', Status, ['--bogus'], /^Error: Nonexistent flag: --bogus/m],
  ['an outcome not in the list', Log, ['--outcome', 'meh'], /^Error: Expected --outcome=meh to be one of/m],
  ['--limit 0', Log, ['-n', '0'], /^Error: .*(-n|--limit)/m],
  ['--limit 1000000', Log, ['--limit', '1000000'], /^Error: .*--limit/m],
  ['--limit abc', Log, ['--limit', 'abc'], /^Error: .*--limit|Expected an integer/m],
  ['outbox --retry and --drop together', Outbox, ['--retry', 'a', '--drop', 'b'], /cannot also be provided/m],
  ['report --from that is no date', Report, ['--from', 'last tuesday'], /^Error: --from: expected a date as YYYY-MM-DD or an ISO time/m],
  ['report --since and --from together', Report, ['--since', '7d', '--from', '2026-01-01'], /^Error: --since and --from both give the period's start/m],
  ['report --since of a second', Report, ['--since', '1s'], /^Error: --since: expected a duration from 1m/m],
];
