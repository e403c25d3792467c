import assert from 'node:assert/strict';
import type {Command} from '@oclif/core';
import Deploy from '../../src/commands/deploy.js';
import Doctor from '../../src/commands/doctor.js';
import Log from '../../src/commands/log.js';
import Outbox from '../../src/commands/outbox.js';
import Report from '../../src/commands/report.js';
import Restart from '../../src/commands/restart.js';
import Status from '../../src/commands/status.js';
import Watch from '../../src/commands/watch.js';
import type {ActionDryRun, ActionResult, StatusDryRun, StatusResult} from '../../src/core/app/results.js';
import {FoggyError, inputError, refusal} from '../../src/core/errors/foggy-error.js';
import {counts, fourKeys, RULES, weeks} from '../../src/core/report/metrics.js';
import {BAD_FLAGS} from '../support/bad-flags.js';
import {runInProcess} from '../support/in-process.js';

/**
 * The commands in process: what each turns its flags into (the request its use case gets), how it renders
 * a result and which exit code it sets, and how a failure reads. No process is spawned; the end-to-end tests
 * keep what needs one (signals, exit codes of the process, a terminal).
 */

const VERB = {configPath: undefined, channel: undefined, requireMirror: undefined, reason: undefined, dryRun: false};
const ACTION = {...VERB, requireMirror: false, ref: undefined, waitMs: 0, approval: undefined};
const TEN_MINUTES = 600_000;
const nothing = {from: 0, to: 30 * 86_400_000};
const emptyReport = {source: 'journal', period: {from: '', to: '', days: 30}, read: {since: '', entries: 0}, services: [], overall: fourKeys([], nothing), perService: [], counts: {...counts([], nothing), skipped: {refused: 0, unknownOutcome: 0, running: 0, malformed: 0, duplicates: 0, dryRuns: 0}}, weeks: weeks([], nothing), quiet: {actions: {runs: 0, ms: 0}, silences: {count: 0, ms: 0}, windows: {count: 0, ms: 0}, incidentsLeftOut: 0}, rules: RULES};

const statusResult: StatusResult = {
  ok: false,
  entry: 'mi9x3k2a1',
  outcome: 'failed',
  services: [
    {service: 'web', ok: true, latencyMs: 12, checks: [{name: 'http://web/', type: 'http', ok: true, latencyMs: 12, detail: '200 OK'}]},
    {service: 'db', ok: false, latencyMs: 40, checks: [{name: 'db:5432', type: 'tcp', ok: false, latencyMs: 40, detail: 'connection refused'}]},
  ],
  permalink: 'https://hello.slack.test/archives/C0OPS00001/p1',
};
const actionResult: ActionResult = {ok: true, entry: 'mi9x3k2a2', verb: 'deploy', service: 'web', outcome: 'succeeded', durationMs: 1200, summary: 'deploy web v2 succeeded'};
const message = {channel: '#ops', text: 'deploy web v2 by alice', blocks: []};
const actionDryRun = {dryRun: true, command: ['./deploy.sh', 'v2'], shell: false, cwd: '/srv', env: {FOGGY_REF: 'v2'}, timeoutMs: 60_000, entry: {}, confirmation: 'would ask', message} as unknown as ActionDryRun;
const statusDryRun = {dryRun: true, entry: {}, checks: [{service: 'web', checks: [{type: 'http', name: 'http://web/'}]}], message} as unknown as StatusDryRun;

describe('commands in process: flags become the request', () => {
  const cases: [string, typeof Command, string[], string, unknown][] = [
    ['status, nothing named', Status, [], 'status', {...VERB, services: [], commandLine: 'foggy status'}],
    ['status of two, with a reason quoted back', Status, ['web', 'db', '--reason', "it's slow"], 'status', {...VERB, services: ['web', 'db'], reason: "it's slow", commandLine: String.raw`foggy status web db --reason 'it'\''s slow'`}],
    ['status: the shell-only flags', Status, ['--channel', '#ops', '--config', 'f.yml', '--dry-run'], 'status', {...VERB, services: [], channel: '#ops', configPath: 'f.yml', dryRun: true, commandLine: 'foggy status --channel #ops --config f.yml --dry-run'}],
    ['deploy with a ref', Deploy, ['web', '--ref', 'v2'], 'deploy', {...ACTION, service: 'web', ref: 'v2', commandLine: 'foggy deploy web --ref v2'}],
    ['--wait alone waits the default, shown as typed', Deploy, ['web', '--wait', '--ref', 'v2'], 'deploy', {...ACTION, service: 'web', ref: 'v2', waitMs: TEN_MINUTES, commandLine: 'foggy deploy web --wait --ref v2'}],
    ['--wait last on the line', Deploy, ['web', '--ref', 'v2', '--wait'], 'deploy', {...ACTION, service: 'web', ref: 'v2', waitMs: TEN_MINUTES, commandLine: 'foggy deploy web --ref v2 --wait'}],
    ['--wait with a duration: milliseconds', Deploy, ['web', '--wait', '30s'], 'deploy', {...ACTION, service: 'web', waitMs: 30_000, commandLine: 'foggy deploy web --wait 30s'}],
    ['--wait=DURATION', Deploy, ['web', '--wait=1.5m'], 'deploy', {...ACTION, service: 'web', waitMs: 90_000, commandLine: 'foggy deploy web --wait=1.5m'}],
    ['restart: confirmations and the mirror', Restart, ['db', '--yes', '--confirm', 'db', '--require-mirror', '--reason', 'hung'], 'restart', {...ACTION, service: 'db', approval: {how: 'named', service: 'db'}, requireMirror: true, reason: 'hung', commandLine: 'foggy restart db --yes --confirm db --require-mirror --reason hung'}],
    ['restart -y', Restart, ['db', '-y'], 'restart', {...ACTION, service: 'db', approval: {how: 'any'}, commandLine: 'foggy restart db -y'}],
    ['log: every filter, since in milliseconds', Log, ['web', '-n', '5', '--verb', 'deploy', '--outcome', 'failed', '--who', 'alice', '--since', '24h', '--local'], 'log', {service: 'web', limit: 5, verb: 'deploy', outcome: 'failed', who: 'alice', sinceMs: 86_400_000, local: true, channel: undefined, configPath: undefined}],
    ['log: the defaults', Log, [], 'log', {service: undefined, limit: 20, verb: undefined, outcome: undefined, who: undefined, sinceMs: undefined, local: false, channel: undefined, configPath: undefined}],
    ['outbox --flush: five minutes by default', Outbox, ['--flush'], 'flushOutbox', {timeoutMs: 300_000, onProgress: Function}],
    ['outbox --flush --timeout', Outbox, ['--flush', '--timeout', '30s'], 'flushOutbox', {timeoutMs: 30_000, onProgress: Function}],
    ['outbox --retry', Outbox, ['--retry', 'mi9x', '--timeout', '1m'], 'retryOutboxEntry', {id: 'mi9x', timeoutMs: 60_000}],
    ['outbox --drop', Outbox, ['--drop', 'mi9x'], 'dropOutboxEntry', {id: 'mi9x'}],
    ['watch: interval in milliseconds, the command line for its incidents', Watch, ['web', '--interval', '30s', '--once'], 'watch', {services: ['web'], configPath: undefined, once: true, intervalMs: 30_000, maxRounds: undefined, commandLine: 'foggy watch web --interval 30s --once', onRound: Function}],
    ['doctor --channel', Doctor, ['--channel', 'C0OPS00001'], 'doctor', {configPath: undefined, channel: 'C0OPS00001'}],
    ['report: the last 30 days by default', Report, [], 'report', {services: [], sinceMs: undefined, from: undefined, to: undefined, local: false, channel: undefined, configPath: undefined}],
    ['report --since, in milliseconds, of two services', Report, ['web', 'db', '--since', '90d'], 'report', {services: ['web', 'db'], sinceMs: 90 * 86_400_000, from: undefined, to: undefined, local: false, channel: undefined, configPath: undefined}],
    ['report --from and --to: dates in UTC, the --to day included', Report, ['--from', '2026-11-01', '--to', '2026-11-30', '--local'], 'report', {services: [], sinceMs: undefined, from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z'), local: true, channel: undefined, configPath: undefined}],
    ['report --to an ISO time: that instant', Report, ['--to', '2026-11-30T12:00:00Z'], 'report', {services: [], sinceMs: undefined, from: undefined, to: Date.parse('2026-11-30T12:00:00Z'), local: false, channel: undefined, configPath: undefined}],
  ];
  const answers = {
    status: statusResult,
    deploy: actionResult,
    restart: {...actionResult, verb: 'restart'},
    log: {source: 'journal', entries: []},
    outbox: {entries: [], setAside: [], skipped: 0, dir: '/tmp'},
    flushOutbox: {delivered: [], messages: 0, remaining: 0, setAside: [], setAsideTotal: 0},
    retryOutboxEntry: {ok: true, entry: 'mi9x'},
    dropOutboxEntry: {ok: true, dropped: 'mi9x', entry: {id: 'mi9x', verb: 'deploy', services: ['web']}},
    watch: {down: []},
    doctor: {ok: true, findings: []},
    report: emptyReport,
  };

  for (const [what, command, argv, method, expected] of cases) {
    it(what, async () => {
      const run = await runInProcess(command, argv, answers);
      assert.equal(run.ui.stderr().includes('Error:'), false, run.ui.stderr());
      const call = run.calls.find((c) => c.method === method);
      assert.ok(call, `${method} was not called: ${run.calls.map((c) => c.method).join(', ')}`);
      const request = call.request as Record<string, unknown>;
      // A callback is compared by kind: the command's own progress printer.
      const shown = Object.fromEntries(Object.entries(request).map(([key, value]) => [key, typeof value === 'function' ? Function : value]));
      assert.deepEqual(shown, expected);
    });
  }
});

describe('commands in process: bad input never reaches a use case', () => {
  const cases = BAD_FLAGS;
  for (const [what, command, argv, pattern] of cases) {
    it(what, async () => {
      const run = await runInProcess(command, argv);
      assert.equal(run.exitCode, 2);
      assert.match(run.ui.stderr(), pattern);
      assert.match(run.ui.stderr(), /^See "foggy .+ --help"\.$/m);
      assert.deepEqual(run.calls, []);
      assert.equal(run.ui.stdout(), '');
    });
  }

  it('with --json, the failure is a JSON object on stdout too', async () => {
    const run = await runInProcess(Deploy, ['web', '--wait=soon!', '--json']);
    assert.deepEqual(JSON.parse(run.ui.stdout()), {ok: false, error: {message: '--wait: not a duration: "soon!" (expected e.g. 500ms, 2s, 10m)', hint: 'See "foggy deploy --help".', exitCode: 2}});
  });
});

describe('commands in process: the core says what failed, the shell which flag fixes it', () => {
  const cases: [string, Error, RegExp, RegExp | undefined, number][] = [
    ['a ref is needed', new FoggyError('x', {code: 'ref_required', data: {verb: 'deploy', service: 'web'}}), /^Error: deploy web needs --ref: its action uses \{ref\}\.$/m, /^For example: foggy deploy web --ref v1\.2\.3$/m, 2],
    ['a confirmation with no one to ask', new FoggyError('x', {kind: 'refused', code: 'confirmation_required', remedy: {do: 'confirm', service: 'web'}, data: {verb: 'deploy', service: 'web'}}), /web is protected: deploy needs confirmation, and there is no terminal to ask/, /Pass --confirm web \(or --yes\)/, 3],
    ['a confirmation naming another service', new FoggyError('x', {kind: 'refused', code: 'confirmation_mismatch', data: {given: 'db', service: 'web'}}), /--confirm db does not match the service, web; nothing ran/, /Pass --confirm web/, 3],
    ['a value given for a field: named by its flag', inputError('reason', 'too long (5000 characters; at most 2000)'), /^Error: --reason: too long/m, undefined, 2],
    ['the lock is held: the hint says how to wait', new FoggyError('web is being deployed by alice (pid 7).', {kind: 'refused', code: 'service_locked', remedy: {do: 'wait'}}), /^Error: web is being deployed by alice/m, /--wait \[DURATION\]/, 3],
    ['a refusal with its own hint keeps it', refusal('no', 'ask bob'), /^Error: no$/m, /^ask bob$/m, 3],
    ['a bug is said to be one', new TypeError('x is undefined'), /foggy hit an internal error: x is undefined/, /This is a bug in foggy/, 70],
  ];
  for (const [what, error, message, hint, exitCode] of cases) {
    it(what, async () => {
      const run = await runInProcess(Deploy, ['web'], {deploy: error});
      assert.equal(run.exitCode, exitCode);
      assert.match(run.ui.stderr(), message);
      if (hint) assert.match(run.ui.stderr(), hint);
    });
  }
});

describe('commands in process: a result rendered, and its exit code', () => {
  const cases: [string, typeof Command, string[], Record<string, unknown>, {stdout?: RegExp; stderr?: RegExp; exitCode?: number; json?: unknown}][] = [
    ['status: a line per service, the link, exit 1 when one is down', Status, [], {status: statusResult}, {stdout: /^✔ {2}web {2}12ms {2}1 check passed\n✖ {2}db {3}40ms {2}db:5432: connection refused\n$/, stderr: /Posted: https:\/\/hello\.slack\.test/, exitCode: 1}],
    ['status --json: the result as is', Status, ['--json'], {status: statusResult}, {json: {...statusResult, exitCode: 1}, exitCode: 1}],
    ['status --dry-run: checks and the message it would post', Status, ['--dry-run'], {status: statusDryRun}, {stdout: /^web: http http:\/\/web\/\nWould post to #ops: deploy web v2 by alice\n$/, stderr: /Dry run: nothing was checked or recorded/}],
    ['deploy: the outcome on stderr, stdout left to the action', Deploy, ['web'], {deploy: actionResult}, {stdout: /^$/, stderr: /^✔ deploy web v2 succeeded in 1\.2s$/m, exitCode: 0}],
    ['deploy failed: exit code from the result', Deploy, ['web'], {deploy: {...actionResult, ok: false, outcome: 'failed', summary: 'deploy web v2 failed (exit 1)'}}, {stderr: /^✖ deploy web v2 failed \(exit 1\) in 1\.2s$/m, exitCode: 1}],
    ['deploy --dry-run: the plan', Deploy, ['web', '--dry-run'], {deploy: actionDryRun}, {stdout: /^Would run: \.\/deploy\.sh v2\n {6}in: \/srv\n {4}with: FOGGY_REF=v2\n timeout: 1m00s\nconfirm: would ask for the service name/, stderr: /Dry run: nothing was run or recorded/}],
    ['log: no entries, said why', Log, ['web', '--verb', 'deploy'], {log: {source: 'journal', entries: []}}, {stdout: /^$/, stderr: /No entries yet for web matching the filters in the local journal\./}],
    ['log: skipped messages are warned about', Log, [], {log: {source: 'channel', channel: '#ops', entries: [], skipped: 2}}, {stderr: /Skipped 2 messages that looked like foggy entries/}],
    ['outbox --flush: what remains is exit 1', Outbox, ['--flush'], {outbox: {entries: [{}], setAside: []}, flushOutbox: {delivered: [], messages: 0, remaining: 1, setAside: [], setAsideTotal: 0}}, {stdout: /Delivered 0 in 0 messages; 1 waiting\./, exitCode: 1}],
    ['outbox --retry refused: exit 1, the reason', Outbox, ['--retry', 'mi9x'], {retryOutboxEntry: {ok: false, error: {code: 'is_archived', hint: 'Unarchive it.'}}}, {stderr: /Not delivered: is_archived\. Unarchive it\./, exitCode: 1}],
    ['doctor: a finding to fix is exit 1, with the fix', Doctor, [], {doctor: {ok: false, findings: [{check: 'token', ok: false, detail: 'not set', fix: 'Run foggy login.'}]}}, {stdout: /✖ token {4}not set\n {11}→ Run foggy login\./, exitCode: 1}],
    ['watch --once: a service down is exit 1', Watch, ['--once'], {watch: {down: ['db']}}, {exitCode: 1}],
    ['report of 30 days: its period in days, five weeks charted', Report, [], {report: emptyReport}, {stdout: /\(30 days, UTC\)[^]*Deploys per week .* 5 weeks from 1970-01-01, at most 0/}],
    ['report of one day: one day, one week', Report, ['--since', '1d'], {report: {...emptyReport, period: {...emptyReport.period, days: 1}, weeks: emptyReport.weeks.slice(0, 1)}}, {stdout: /\(1 day, UTC\)[^]*Deploys per week .* 1 week from 1970-01-01,/}],
  ];
  for (const [what, command, argv, answers, expected] of cases) {
    it(what, async () => {
      const run = await runInProcess(command, argv, answers);
      if (expected.stdout) assert.match(run.ui.stdout(), expected.stdout);
      if (expected.stderr) assert.match(run.ui.stderr(), expected.stderr);
      if (expected.json) assert.deepEqual(JSON.parse(run.ui.stdout()), expected.json);
      assert.equal(run.exitCode, expected.exitCode);
    });
  }

  it('run() returns the typed result, as --json prints it', async () => {
    const run = await runInProcess(Deploy, ['web', '--json'], {deploy: actionResult});
    assert.deepEqual(run.result, {...actionResult, exitCode: 0});
    assert.deepEqual(JSON.parse(run.ui.stdout()), {...actionResult, exitCode: 0});
  });
});
