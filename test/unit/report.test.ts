import assert from 'node:assert/strict';
import {periodOf} from '../../src/core/app/report.js';
import type {Entry, Outcome} from '../../src/core/entry/types.js';
import {RunCollector} from '../../src/core/report/collect.js';
import {counts, failureBand, fourKeys, frequencyBand, leadTimeBand, restoreBand, weeks, type Run} from '../../src/core/report/metrics.js';
import {sparkline} from '../../src/cli/render/report.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FROM = Date.parse('2026-11-01T00:00:00Z');
const period = {from: FROM, to: FROM + 28 * DAY};
let ids = 0;
const at = (days: number, hours = 0) => FROM + days * DAY + hours * HOUR;

function run(verb: Run['verb'], service: string, outcome: Outcome, startedAt: number, extra: Partial<Run> = {}): Run {
  return {id: `${verb}-${++ids}`, verb, service, outcome, startedAt, endedAt: outcome === 'running' ? undefined : startedAt + 60_000, ...extra};
}
const deploy = (day: number, outcome: Outcome = 'succeeded', extra: Partial<Run> = {}, service = 'web') => run('deploy', service, outcome, at(day), extra);

describe('report: the four keys, on hand-made records', () => {
  it('no deploys, no incidents: every key says "no data", never 0', () => {
    const keys = fourKeys([], period);
    assert.deepEqual(
      [keys.deploymentFrequency.band, keys.deploymentFrequency.perDay, keys.leadTime.band, keys.leadTime.medianMs, keys.changeFailureRate.band, keys.changeFailureRate.rate, keys.timeToRestore.band, keys.timeToRestore.medianMs],
      ['no data', null, 'no data', null, 'no data', null, 'no data', null],
    );
  });

  it('only failures: frequency 0 a day (low), change failure rate 3/3, lead time no data', () => {
    const keys = fourKeys([deploy(1, 'failed'), deploy(2, 'timed_out'), deploy(3, 'interrupted')], period);
    assert.deepEqual([keys.deploymentFrequency.deploys, keys.deploymentFrequency.perDay, keys.deploymentFrequency.band], [0, 0, 'low']);
    assert.deepEqual([keys.changeFailureRate.failing, keys.changeFailureRate.deploys, keys.changeFailureRate.rate, keys.changeFailureRate.band], [3, 3, 1, 'low']);
    assert.deepEqual(keys.changeFailureRate.failingDeploys.map((d) => d.why), ['failed', 'failed', 'failed']);
    assert.equal(keys.leadTime.band, 'no data');
  });

  it('frequency: successful deploys per day and week, with its band', () => {
    const keys = fourKeys(Array.from({length: 56}, (_, i) => deploy(i / 2)), period);
    assert.deepEqual([keys.deploymentFrequency.deploys, keys.deploymentFrequency.perDay, keys.deploymentFrequency.perWeek, keys.deploymentFrequency.band], [56, 2, 14, 'elite']);
  });

  it('a restart of the same service after a deploy, before its next one, makes it a change failure; another service\'s does not', () => {
    const first = deploy(1);
    const restart = run('restart', 'web', 'succeeded', at(1, 2));
    const second = deploy(2);
    const other = run('restart', 'db', 'succeeded', at(2, 2));
    const keys = fourKeys([first, restart, second, other], period);
    assert.deepEqual(keys.changeFailureRate.failingDeploys, [{id: first.id, service: 'web', why: 'restart', by: restart.id}]);
    assert.equal(keys.changeFailureRate.rate, 0.5);
  });

  it('an incident on the service before its next deploy makes the deploy a change failure; a refused restart does not', () => {
    const first = deploy(1);
    const refusedRestart = run('restart', 'web', 'refused', at(1, 1));
    const incident = run('incident', 'web', 'resolved', at(1, 3));
    const keys = fourKeys([first, refusedRestart, incident], period);
    assert.deepEqual(keys.changeFailureRate.failingDeploys.map((d) => [d.why, d.by]), [['incident', incident.id]]);
  });

  it('an incident with no earlier deploy counts towards time to restore, and makes no deploy fail', () => {
    const incident = run('incident', 'web', 'resolved', at(2), {endedAt: at(2) + 30 * 60_000});
    const later = deploy(5);
    const keys = fourKeys([incident, later], period);
    assert.deepEqual([keys.changeFailureRate.failing, keys.changeFailureRate.deploys], [0, 1]);
    assert.deepEqual([keys.timeToRestore.resolved, keys.timeToRestore.medianMs, keys.timeToRestore.band], [1, 30 * 60_000, 'elite']);
  });

  it('an incident spanning the period\'s start is counted when it is resolved within the period, with its whole duration', () => {
    const spanning = run('incident', 'db', 'resolved', FROM - 2 * HOUR, {endedAt: FROM + HOUR});
    const before = run('incident', 'db', 'resolved', FROM - 5 * HOUR, {endedAt: FROM - 4 * HOUR});
    const open = run('incident', 'db', 'running', at(20));
    const keys = fourKeys([spanning, before, open], period);
    assert.deepEqual([keys.timeToRestore.resolved, keys.timeToRestore.medianMs, keys.timeToRestore.open, keys.timeToRestore.band], [1, 3 * HOUR, 1, 'high']);
    assert.deepEqual(counts([spanning, before, open], period).incidents, {opened: 1, resolved: 1, open: 1});
  });

  it('lead time: median and p90 over deploys with a commit time; a commit after the deploy (clocks out of order) is counted without', () => {
    const runs = [
      deploy(1, 'succeeded', {commit: 'a', committedAt: at(1) - 2 * HOUR}),
      deploy(2, 'succeeded', {commit: 'b', committedAt: at(2) - 4 * HOUR}),
      deploy(3, 'succeeded', {commit: 'c', committedAt: at(3) - 30 * HOUR}),
      deploy(4, 'succeeded', {commit: 'd', committedAt: at(4) + HOUR}),
      deploy(5, 'succeeded'),
    ];
    const lead = fourKeys(runs, period).leadTime;
    assert.deepEqual([lead.withCommitTime, lead.withoutCommitTime], [3, 2]);
    assert.equal(lead.medianMs, 4 * HOUR + 60_000);
    assert.equal(lead.p90Ms, 30 * HOUR + 60_000);
    assert.equal(lead.band, 'elite');
  });

  it('deploys refused, unknown or running are not in the change failure rate\'s denominator', () => {
    const keys = fourKeys([deploy(1), deploy(2, 'refused'), deploy(3, 'unknown'), deploy(4, 'running')], period);
    assert.deepEqual([keys.changeFailureRate.deploys, keys.deploymentFrequency.deploys], [1, 1]);
    assert.deepEqual(counts([deploy(1), deploy(2, 'refused'), deploy(3, 'unknown')], period).deploys, {succeeded: 1, refused: 1, unknown: 1});
  });

  it('records out of order (a journal merged from two machines) give the same figures', () => {
    const runs = [deploy(1), run('restart', 'web', 'succeeded', at(1, 1)), deploy(3, 'failed'), run('incident', 'web', 'resolved', at(4), {endedAt: at(4) + HOUR})];
    assert.deepEqual(fourKeys([...runs].reverse(), period), fourKeys(runs, period));
  });

  it('weeks: successful and failed deploys and incidents per seven days from the start', () => {
    const result = weeks([deploy(0), deploy(1), deploy(8, 'failed'), run('incident', 'web', 'resolved', at(15)), deploy(27)], period);
    assert.deepEqual(result.map((w) => [w.start, w.deploys, w.failed, w.incidents]), [['2026-11-01', 2, 0, 0], ['2026-11-08', 0, 1, 0], ['2026-11-15', 0, 0, 1], ['2026-11-22', 1, 0, 0]]);
    assert.equal(sparkline(result.map((w) => w.deploys)), '█··▄');
  });

  const bands: [string, (value: number) => string, number, string][] = [
    ['frequency: several a day', frequencyBand, 3, 'elite'],
    ['frequency: daily to weekly', frequencyBand, 0.5, 'high'],
    ['frequency: weekly to monthly', frequencyBand, 0.05, 'medium'],
    ['frequency: less than monthly', frequencyBand, 0.01, 'low'],
    ['lead time: under a day', leadTimeBand, 3 * HOUR, 'elite'],
    ['lead time: up to a week', leadTimeBand, 3 * DAY, 'high'],
    ['lead time: up to a month', leadTimeBand, 20 * DAY, 'medium'],
    ['lead time: longer', leadTimeBand, 60 * DAY, 'low'],
    ['failure rate 5%', failureBand, 0.05, 'elite'],
    ['failure rate 10%', failureBand, 0.1, 'high'],
    ['failure rate 15%', failureBand, 0.15, 'medium'],
    ['failure rate 40%', failureBand, 0.4, 'low'],
    ['restore: under an hour', restoreBand, 20 * 60_000, 'elite'],
    ['restore: under a day', restoreBand, 5 * HOUR, 'high'],
    ['restore: under a week', restoreBand, 3 * DAY, 'medium'],
    ['restore: longer', restoreBand, 10 * DAY, 'low'],
  ];
  for (const [what, band, value, expected] of bands) it(`band: ${what} → ${expected}`, () => assert.equal(band(value), expected));
});

describe('report: each entry once', () => {
  const entry = (id: string, outcome: Outcome, endedAt?: string, verb: Entry['verb'] = 'deploy'): Entry =>
    ({id, verb, services: ['web'], args: {}, commandLine: '', who: {user: 'a', host: 'h'}, where: {kind: 'terminal', cwd: '/'}, catalog: '', pid: 1, startedAt: '2026-11-02T00:00:00Z', endedAt, outcome}) as Entry;

  it('the same entry twice (a message and a digest, two journals) is counted once, in its most complete state', () => {
    const collector = new RunCollector();
    collector.add(entry('e1', 'running'));
    collector.add(entry('e1', 'succeeded', '2026-11-02T00:05:00Z'));
    collector.add(entry('e1', 'running'));
    collector.add(entry('e2', 'failed', '2026-11-02T00:01:00Z'));
    assert.deepEqual(collector.all().map((run) => [run.id, run.outcome]), [['e1', 'succeeded'], ['e2', 'failed']]);
    assert.equal(collector.duplicates, 2);
  });

  it('status runs are read, not counted; malformed entries are counted as such; a service filter keeps its own', () => {
    const collector = new RunCollector(new Set(['web']));
    collector.add(entry('s1', 'succeeded', undefined, 'status'));
    collector.add({...entry('m1', 'succeeded'), startedAt: 'yesterday'});
    collector.add({...entry('d1', 'succeeded'), services: ['db']});
    collector.add(entry('w1', 'succeeded'));
    assert.deepEqual([collector.read, collector.malformed, collector.all().map((run) => run.id)], [4, 1, ['w1']]);
  });

  it('the period: the last 30 days by default, --since, or from and to; an empty one is refused', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    assert.deepEqual(periodOf({}, now), {from: now - 30 * DAY, to: now});
    assert.deepEqual(periodOf({sinceMs: 7 * DAY}, now), {from: now - 7 * DAY, to: now});
    assert.deepEqual(periodOf({from: FROM, to: FROM + DAY}, now), {from: FROM, to: FROM + DAY});
    assert.throws(() => periodOf({from: FROM, to: FROM}, now), /The period is empty/);
  });
});
