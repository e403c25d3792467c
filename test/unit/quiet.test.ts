import assert from 'node:assert/strict';
import {silenceWords} from '../../src/chat/grammar.js';
import {parseCatalog} from '../../src/core/catalog/parse.js';
import {quietReason, watchDecision, type QuietContext} from '../../src/core/quiet/decision.js';
import {foldQuiet, type ActionRun, type QuietEvent, type Silence} from '../../src/core/quiet/events.js';
import {instantOf, maintenanceAt, occurrences, type MaintenanceWindow} from '../../src/core/quiet/maintenance.js';
import {beganWith, describeQuiet} from '../../src/core/quiet/quiet.js';
import {quietTime} from '../../src/core/report/quiet-time.js';
import type {Run} from '../../src/core/report/metrics.js';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A deploy of `service` from `from` to `to` (ISO; `to` undefined: still running), ending `outcome`. */
function run(service: string, from: string, to?: string, outcome = 'succeeded', extra: Partial<ActionRun> = {}): ActionRun {
  return {entry: `e-${service}-${from}`, service, verb: 'deploy', ref: 'v2', who: 'alice', startedAt: at(from), host: 'h', pid: 1, ...(to ? {endedAt: at(to), outcome} : {}), ...extra};
}

function silence(services: string[], from: string, until: string, extra: Partial<Silence> = {}): Silence {
  return {id: `s-${from}`, services, from: at(from), until: at(until), reason: 'db migration', who: 'bob', ...extra};
}

function context(input: {actions?: ActionRun[]; silences?: Silence[]; windows?: MaintenanceWindow[]; running?: boolean; graceMs?: number}): QuietContext {
  const depends: Record<string, string[]> = {web: ['api'], api: ['db'], db: []};
  return {
    record: {actions: input.actions ?? [], silences: input.silences ?? []},
    windows: input.windows ?? [],
    graceMs: () => input.graceMs ?? 2 * MINUTE,
    dependsOn: (service) => depends[service] ?? [],
    running: () => input.running ?? true,
  };
}

describe('quiet: why a service is quiet at a moment', () => {
  const now = '2026-12-06T12:00:00Z';
  const sundayBerlin: MaintenanceWindow = {every: ['sun'], startMinute: 11 * 60 + 30, durationMs: HOUR, timeZone: 'Europe/Berlin', services: ['db']};
  const cases: [string, Parameters<typeof context>[0], string, string | undefined][] = [
    ['nothing at all', {}, 'db', undefined],
    ['a deploy of it running', {actions: [run('db', '2026-12-06T11:59:00Z')]}, 'db', 'action'],
    ['a deploy without an end whose process died', {actions: [run('db', '2026-12-06T11:59:00Z')], running: false}, 'db', undefined],
    ['a deploy that ended a minute ago: its grace', {actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z')]}, 'db', 'grace'],
    ['a deploy whose grace is over', {actions: [run('db', '2026-12-06T11:50:00Z', '2026-12-06T11:57:00Z')]}, 'db', undefined],
    ['a deploy that failed: no grace after it', {actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z', 'failed')]}, 'db', undefined],
    ['a grace of zero', {actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z')], graceMs: 0}, 'db', undefined],
    ['another service\'s deploy', {actions: [run('web', '2026-12-06T11:59:00Z')]}, 'db', undefined],
    ['a deploy of what it depends on, two hops away', {actions: [run('db', '2026-12-06T11:59:00Z')]}, 'web', 'dependency'],
    ['the grace of what it depends on', {actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z')]}, 'api', 'dependency'],
    ['a deploy of what depends on it: not quiet', {actions: [run('web', '2026-12-06T11:59:00Z')]}, 'db', undefined],
    ['a silence of it', {silences: [silence(['db'], '2026-12-06T11:00:00Z', '2026-12-06T13:00:00Z')]}, 'db', 'silence'],
    ['a silence that ended', {silences: [silence(['db'], '2026-12-06T10:00:00Z', '2026-12-06T11:00:00Z')]}, 'db', undefined],
    ['a silence not yet begun', {silences: [silence(['db'], '2026-12-06T12:30:00Z', '2026-12-06T13:00:00Z')]}, 'db', undefined],
    ['a silence of another service: not inherited', {silences: [silence(['db'], '2026-12-06T11:00:00Z', '2026-12-06T13:00:00Z')]}, 'web', undefined],
    ['a maintenance window (Sunday 11:30 Berlin is 10:30 UTC, for an hour): over', {windows: [sundayBerlin]}, 'db', undefined],
    ['a window of every service', {windows: [{...sundayBerlin, startMinute: 12 * 60 + 30, services: undefined}]}, 'web', 'maintenance'],
    ['a running deploy wins over a silence', {actions: [run('db', '2026-12-06T11:59:00Z')], silences: [silence(['db'], '2026-12-06T11:00:00Z', '2026-12-06T13:00:00Z')]}, 'db', 'action'],
    ['a silence wins over a grace (it says who and why)', {actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z')], silences: [silence(['db'], '2026-12-06T11:00:00Z', '2026-12-06T13:00:00Z')]}, 'db', 'silence'],
  ];
  for (const [what, input, service, expected] of cases) {
    it(what, () => {
      assert.equal(quietReason(service, at(now), context(input))?.kind, expected);
    });
  }

  it('says why in words, and what an incident that opens after it began with', () => {
    const grace = quietReason('db', at(now), context({actions: [run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z')]}))!;
    assert.equal(describeQuiet(grace, at(now)), 'in the grace after deploy v2 by alice, until 12:01 UTC');
    assert.equal(beganWith(grace, at('2026-12-06T12:01:00Z')), 'since deploy v2 by alice (entry e-db-2026-12-06T11:55:00Z) finished 2m ago');
    const quiet = quietReason('db', at(now), context({silences: [silence(['db'], '2026-12-06T11:00:00Z', '2026-12-06T13:00:00Z')]}))!;
    assert.equal(describeQuiet(quiet, at(now)), 'silenced until 13:00 UTC by bob (db migration)');
    assert.equal(beganWith(quiet, at(now)), 'throughout the silence by bob (db migration)');
    const failed = run('db', '2026-12-06T11:55:00Z', '2026-12-06T11:59:00Z', 'failed');
    assert.equal(beganWith({kind: 'action', run: failed}, at(now)), 'since deploy v2 by alice (entry e-db-2026-12-06T11:55:00Z) failed 1m ago');
  });
});

describe('quiet: what the watcher does with a service this round', () => {
  const cases: [boolean, boolean, boolean, boolean, string][] = [
    // incident open, quiet now, quiet before, failing → decision
    [false, false, false, false, 'as usual'],
    [false, false, false, true, 'as usual'],
    [false, true, false, true, 'stay quiet'],
    [false, true, true, true, 'stay quiet'],
    [false, true, true, false, 'stay quiet'],
    [false, false, true, true, 'open now'],
    [false, false, true, false, 'as usual'],
    // An incident open before the quiet began is never hushed: a restart that mends it gets its green light.
    [true, true, false, true, 'as usual'],
    [true, true, true, false, 'as usual'],
    [true, false, true, true, 'as usual'],
  ];
  for (const [incidentOpen, quietNow, quietBefore, failing, expected] of cases) {
    it(`${incidentOpen ? 'an incident open' : 'no incident'}, ${quietNow ? 'quiet' : 'not quiet'} now, ${quietBefore ? 'quiet' : 'not quiet'} before, ${failing ? 'failing' : 'passing'}: ${expected}`, () => {
      assert.equal(watchDecision({incidentOpen, quietNow, quietBefore, failing}), expected);
    });
  }
});

describe('quiet: the event log folded', () => {
  it('what has no event\'s shape is passed over, never a TypeError: null, lists, missing or wrong fields, bad times', () => {
    const good = {kind: 'silence', id: 's1', services: ['web'], from: '2026-12-06T10:00:00Z', until: '2026-12-06T11:00:00Z', reason: 'db migration', who: 'alice'};
    const read = [
      null,
      [1, 2],
      'garbage',
      {kind: 'action'},
      {kind: 'silence', id: 'x', services: null, from: good.from, until: good.until, reason: 'r', who: 'w'},
      {...good, id: 'bad-time', from: 'yesterday'},
      {kind: 'silence-end', id: 's1', at: 7, by: 'bob', entry: 'e'},
      {kind: 'action', entry: 'e1', service: 'web', verb: 'deploy', who: 'alice', at: '2026-12-06T10:00:00Z', host: 'h', pid: 'not a number'},
      good,
    ];
    const record = foldQuiet(read);
    assert.deepEqual(record.silences.map((silence) => [silence.id, silence.services, silence.ended]), [['s1', ['web'], undefined]]);
    assert.deepEqual(record.actions, []);
  });

  it('an action with its end, a silence ended early and one told; ends without starts are dropped', () => {
    const events: QuietEvent[] = [
      {kind: 'action-end', entry: 'gone', at: '2026-12-06T10:00:00Z', outcome: 'succeeded'},
      {kind: 'action', entry: 'd1', service: 'web', verb: 'deploy', ref: 'v2', who: 'alice', at: '2026-12-06T11:00:00Z', host: 'h', pid: 7},
      {kind: 'action-end', entry: 'd1', at: '2026-12-06T11:05:00Z', outcome: 'failed'},
      {kind: 'silence', id: 's1', services: ['db'], from: '2026-12-06T11:00:00Z', until: '2026-12-06T13:00:00Z', reason: 'migration', who: 'bob'},
      {kind: 'silence-end', id: 's1', at: '2026-12-06T12:00:00Z', by: 'carol', entry: 'x1'},
      {kind: 'silence-end', id: 's1', at: '2026-12-06T12:30:00Z', by: 'dave', entry: 'x2'},
      {kind: 'silence', id: 's2', services: ['web'], from: '2026-12-06T11:00:00Z', until: '2026-12-06T11:30:00Z', reason: 'x', who: 'bob'},
      {kind: 'silence-told', id: 's2', at: '2026-12-06T11:31:00Z'},
    ];
    const {actions, silences} = foldQuiet(events);
    assert.deepEqual(actions.map((a) => [a.entry, a.outcome, a.endedAt]), [['d1', 'failed', at('2026-12-06T11:05:00Z')]]);
    assert.deepEqual(silences.map((s) => [s.id, s.until, s.ended?.by, s.told]), [
      ['s1', at('2026-12-06T12:00:00Z'), 'carol', undefined],
      ['s2', at('2026-12-06T11:30:00Z'), undefined, true],
    ]);
  });
});

describe('quiet: maintenance windows in a time zone', () => {
  const berlin = (startMinute: number, every: MaintenanceWindow['every'] = ['sun']): MaintenanceWindow => ({every, startMinute, durationMs: HOUR, timeZone: 'Europe/Berlin'});

  it('a window at 02:30 on a spring-forward night (02:00–03:00 does not exist) happens once, after the gap', () => {
    // 2027-03-28 is a Sunday; Berlin moves from 02:00 CET to 03:00 CEST (01:00 UTC).
    const found = occurrences(berlin(150), at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'));
    assert.deepEqual(found.map((o) => new Date(o.from).toISOString()), ['2027-03-28T01:30:00.000Z']);
    assert.equal(found[0].to - found[0].from, HOUR);
  });

  it('a window at 02:30 on a fall-back night (02:00–03:00 happens twice) happens once, the first time', () => {
    // 2026-10-25 is a Sunday; Berlin moves from 03:00 CEST back to 02:00 CET (01:00 UTC).
    const found = occurrences(berlin(150), at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'));
    assert.deepEqual(found.map((o) => new Date(o.from).toISOString()), ['2026-10-25T00:30:00.000Z']);
  });

  it('an ordinary Sunday: 02:00 Berlin in winter is 01:00 UTC, in summer 00:00 UTC', () => {
    assert.deepEqual(occurrences(berlin(120), at('2026-12-05T00:00:00Z'), at('2026-12-08T00:00:00Z')).map((o) => new Date(o.from).toISOString()), ['2026-12-06T01:00:00.000Z']);
    assert.deepEqual(occurrences(berlin(120), at('2026-07-04T00:00:00Z'), at('2026-07-07T00:00:00Z')).map((o) => new Date(o.from).toISOString()), ['2026-07-05T00:00:00.000Z']);
  });

  it('only the days it names; every day when it names none; a window over midnight holds the next day too', () => {
    const weekdays = occurrences(berlin(120, ['mon', 'wed']), at('2026-12-07T00:00:00Z'), at('2026-12-14T00:00:00Z'));
    assert.deepEqual(weekdays.map((o) => new Date(o.from).toISOString().slice(0, 10)), ['2026-12-07', '2026-12-09']);
    const daily: MaintenanceWindow = {every: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], startMinute: 23 * 60 + 30, durationMs: HOUR, timeZone: 'UTC'};
    assert.equal(occurrences(daily, at('2026-12-07T00:00:00Z'), at('2026-12-10T00:00:00Z')).length, 4, 'the one that began the evening before counts');
    assert.ok(maintenanceAt([daily], 'db', at('2026-12-08T00:15:00Z')));
    assert.equal(maintenanceAt([daily], 'db', at('2026-12-08T00:31:00Z')), undefined);
  });

  it('a wall-clock time is turned into an instant as Temporal\'s compatible rule does', () => {
    const wall = (iso: string) => Date.parse(`${iso}Z`);
    assert.equal(new Date(instantOf(wall('2027-03-28T02:30:00'), 'Europe/Berlin')).toISOString(), '2027-03-28T01:30:00.000Z');
    assert.equal(new Date(instantOf(wall('2026-10-25T02:30:00'), 'Europe/Berlin')).toISOString(), '2026-10-25T00:30:00.000Z');
    assert.equal(new Date(instantOf(wall('2026-11-01T01:30:00'), 'America/New_York')).toISOString(), '2026-11-01T05:30:00.000Z');
    assert.equal(new Date(instantOf(wall('2026-12-06T09:00:00'), 'Asia/Kolkata')).toISOString(), '2026-12-06T03:30:00.000Z');
  });
});

describe('quiet: maintenance windows in foggy.yml are checked where they are written', () => {
  const catalog = (window: string) => `version: 1\nwatch:\n  maintenance:\n    - ${window}\nservices:\n  db:\n    status:\n      - tcp: 127.0.0.1:5432\n`;
  const cases: [string, string, RegExp][] = [
    ['a day that is not one', '{every: [sunday], start: "02:00", duration: 1h}', /foggy\.yml:4:\d+: watch\.maintenance\[0\]\.every\[0\]: expected one of/],
    ['a time that is not one', '{start: "25:00", duration: 1h}', /foggy\.yml:4:\d+: watch\.maintenance\[0\]\.start: expected .*pattern/],
    ['a time zone Node does not know', '{start: "02:00", duration: 1h, timezone: Mars/Olympus}', /foggy\.yml:4:\d+: watch\.maintenance\[0\]\.timezone: expected a time zone such as Europe\/Berlin or UTC \(got "Mars\/Olympus"/],
    ['a duration over 7 days', '{start: "02:00", duration: 169h}', /foggy\.yml:4:\d+: watch\.maintenance\[0\]\.duration: expected a duration from 1m to 7 days/],
    ['a service the catalog has not', '{start: "02:00", duration: 1h, services: [web]}', /foggy\.yml:4:\d+: watch\.maintenance\[0\]\.services\[0\]: no service "web" in the catalog/],
    ['no start', '{duration: 1h}', /watch\.maintenance\[0\]: expected .*start/],
  ];
  for (const [what, window, message] of cases) {
    it(what, () => {
      assert.throws(() => parseCatalog(catalog(window), '/srv/foggy.yml', {}), (error: Error & {kind?: string}) => error.kind === 'usage' && message.test(error.message));
    });
  }

  it('a good one: days, minutes past midnight, the zone, the services', () => {
    const parsed = parseCatalog(catalog('{every: [sun, sat], start: "02:30", duration: 90m, timezone: Europe/Berlin, services: [db]}'), '/srv/foggy.yml', {});
    assert.deepEqual(parsed.maintenance, [{every: ['sun', 'sat'], startMinute: 150, durationMs: 90 * MINUTE, timeZone: 'Europe/Berlin', services: ['db']}]);
    assert.deepEqual(parseCatalog(catalog('{start: "00:00", duration: 1h}'), '/srv/foggy.yml', {}).maintenance[0].every.length, 7);
  });
});

describe('quiet: the report counts planned downtime apart', () => {
  const period = {from: at('2026-12-01T00:00:00Z'), to: at('2026-12-08T00:00:00Z')};
  const rules = {graceMs: () => 2 * MINUTE, windows: [] as MaintenanceWindow[]};
  const runs: Run[] = [
    {id: 'd1', verb: 'deploy', service: 'web', outcome: 'succeeded', startedAt: at('2026-12-02T10:00:00Z'), endedAt: at('2026-12-02T10:05:00Z')},
    // Opened by an older watcher in the deploy's grace: left out.
    {id: 'i1', verb: 'incident', service: 'web', outcome: 'resolved', startedAt: at('2026-12-02T10:06:00Z'), endedAt: at('2026-12-02T10:07:00Z')},
    // Opened as the grace ended with the service still down: a real one.
    {id: 'i2', verb: 'incident', service: 'web', outcome: 'resolved', startedAt: at('2026-12-02T10:06:30Z'), endedAt: at('2026-12-02T10:30:00Z'), began: true},
    {id: 's1', verb: 'silence', service: 'db', outcome: 'succeeded', startedAt: at('2026-12-03T00:00:00Z'), silence: {id: 's1', services: ['db'], from: at('2026-12-03T00:00:00Z'), until: at('2026-12-03T04:00:00Z')}},
    {id: 's1-end', verb: 'silence', service: 'db', outcome: 'succeeded', startedAt: at('2026-12-03T01:00:00Z'), silence: {id: 's1', services: ['db'], from: at('2026-12-03T00:00:00Z'), until: at('2026-12-03T01:00:00Z'), end: 'early'}},
    {id: 'i3', verb: 'incident', service: 'db', outcome: 'resolved', startedAt: at('2026-12-03T00:30:00Z'), endedAt: at('2026-12-03T00:40:00Z')},
    // After the silence was ended early: counted.
    {id: 'i4', verb: 'incident', service: 'db', outcome: 'resolved', startedAt: at('2026-12-03T02:00:00Z'), endedAt: at('2026-12-03T02:10:00Z')},
  ];

  it('the deploy and its grace, the silence as ended early, and the incidents inside left out', () => {
    const {quiet, counted} = quietTime(runs, rules, period, ['web', 'db']);
    assert.deepEqual(quiet, {actions: {runs: 1, ms: 7 * MINUTE}, silences: {count: 1, ms: HOUR}, windows: {count: 0, ms: 0}, incidentsLeftOut: 2});
    assert.deepEqual(counted.filter((r) => r.verb === 'incident').map((r) => r.id), ['i2', 'i4']);
  });

  it('windows from the catalog over the period, for every service when they name none', () => {
    const windows: MaintenanceWindow[] = [{every: ['sun'], startMinute: 120, durationMs: HOUR, timeZone: 'UTC'}];
    const {quiet} = quietTime([], {...rules, windows}, period, ['web', 'db']);
    assert.deepEqual([quiet.windows.count, quiet.windows.ms], [1, 2 * HOUR]);
  });
});

describe('quiet: chat\'s short form of a silence', () => {
  const cases: [string[], string[]][] = [
    [['web', '1h', 'db', 'migration'], ['web', '--for', '1h', '--reason', 'db migration']],
    [['web', 'db', '30m', 'x'], ['web', 'db', '--for', '30m', '--reason', 'x']],
    [['web', '1h'], ['web', '--for', '1h']],
    [['web', '--for', '1h', '--reason', 'x y'], ['web', '--for', '1h', '--reason', 'x y']],
    [['web'], ['web']],
  ];
  for (const [words, argv] of cases) {
    it(words.join(' '), () => assert.deepEqual(silenceWords(words), argv));
  }
});
