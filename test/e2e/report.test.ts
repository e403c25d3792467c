import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {Sandbox} from '../support/cli.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack} from '../support/slack-server.js';
import {TOKEN} from '../support/world.js';

interface Keys {
  deploymentFrequency: {deploys: number; band: string};
  leadTime: {withCommitTime: number; withoutCommitTime: number; medianMs: number | null; band: string};
  changeFailureRate: {failing: number; deploys: number; rate: number | null; failingDeploys: {id: string; why: string; by?: string}[]};
  timeToRestore: {resolved: number; open: number; medianMs: number | null};
}
interface Report {
  source: string;
  overall: Keys;
  perService: ({service: string} & Keys)[];
  counts: {deploys: Record<string, number>; restarts: number; incidents: {opened: number; resolved: number; open: number}; skipped: {refused: number; duplicates: number}};
  weeks: {deploys: number; failed: number; incidents: number}[];
}

/**
 * foggy report after real runs: deploys that succeed and fail, a restart, a refused deploy, and an incident
 * that foggy watch opens and resolves; then every figure checked against what was run, from the journal and
 * from the channel.
 */
describe('foggy report, end to end', function () {
  this.timeout(60_000);
  let site: Running;
  let up = true;
  let slack: FakeSlack;
  let sandbox: Sandbox;
  const ids: Record<string, string> = {};

  before(async function () {
    this.timeout(60_000);
    site = await httpService((_, response) => {
      response.statusCode = up ? 200 : 503;
      response.end('Hello');
    });
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(
      `version: 1
channel: "#ops"
watch: {interval: 100ms, down_after: 1, up_after: 1, remind: 0, grace_after_action: 0}
services:
  web:
    protected: true
    status:
      - http: ${site.url}
        timeout: 1s
    deploy:
      run: ["sh", "-c", "test \\"$0\\" != bad", "{ref}"]
    restart:
      run: "true"
`,
      {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0'},
    );
    // A repository, so that deploys record the commit and its time (lead time).
    const git = (...args: string[]) => execFileSync('git', ['-C', sandbox.dir.path, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {stdio: 'ignore'});
    git('init', '-q');
    git('add', 'foggy.yml');
    git('commit', '-q', '-m', 'catalog');

    const deploy = async (ref: string, code: number) => {
      const result = await sandbox.run(['deploy', 'web', '--ref', ref, '--yes', '--json']);
      assert.equal(result.code, code, result.stderr);
      return (JSON.parse(result.stdout) as {entry: string}).entry;
    };
    ids.v1 = await deploy('v1', 0);
    ids.bad = await deploy('bad', 1);
    ids.v2 = await deploy('v2', 0);
    const restart = await sandbox.run(['restart', 'web', '--yes', '--json']);
    ids.restart = (JSON.parse(restart.stdout) as {entry: string}).entry;
    ids.v3 = await deploy('v3', 0);
    assert.equal((await sandbox.run(['deploy', 'web', '--ref', 'v4', '--confirm', 'db'])).code, 3, 'a refused deploy');
    up = false;
    assert.equal((await sandbox.run(['watch', 'web', '--once'])).code, 1, 'the incident opens');
    up = true;
    assert.equal((await sandbox.run(['watch', 'web', '--once'])).code, 0, 'and is resolved');
    ids.incident = sandbox.journal.entries().find((entry) => entry.verb === 'incident')!.id;
  });
  after(async () => {
    site.close();
    await slack.stop();
    sandbox.remove();
  });

  const report = async (...args: string[]) => {
    const result = await sandbox.run(['report', '--json', ...args]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Report;
  };

  function checkFigures(result: Report): void {
    const {overall, counts} = result;
    assert.deepEqual(counts.deploys, {succeeded: 3, failed: 1, refused: 1});
    assert.equal(counts.restarts, 1);
    assert.deepEqual(counts.incidents, {opened: 1, resolved: 1, open: 0});
    assert.equal(counts.skipped.refused, 1);
    assert.equal(overall.deploymentFrequency.deploys, 3);
    assert.deepEqual([overall.leadTime.withCommitTime, overall.leadTime.withoutCommitTime], [3, 0]);
    assert.ok(overall.leadTime.medianMs! >= 0);
    // bad failed; v2 was followed by a restart; v3 by an incident; v1 by neither before v2 (bad is a deploy too).
    assert.deepEqual([overall.changeFailureRate.failing, overall.changeFailureRate.deploys, overall.changeFailureRate.rate], [3, 4, 0.75]);
    assert.deepEqual(
      overall.changeFailureRate.failingDeploys.map((d) => [d.id, d.why, d.by]),
      [
        [ids.bad, 'failed', undefined],
        [ids.v2, 'restart', ids.restart],
        [ids.v3, 'incident', ids.incident],
      ],
    );
    assert.deepEqual([overall.timeToRestore.resolved, overall.timeToRestore.open], [1, 0]);
    assert.ok(overall.timeToRestore.medianMs! > 0);
    assert.deepEqual(result.perService.map((s) => s.service), ['web']);
    assert.equal(result.weeks.reduce((sum, week) => sum + week.deploys, 0), 3);
  }

  it('from the journal: every figure, with the entries behind it', async () => {
    const result = await report('--local');
    assert.equal(result.source, 'journal');
    checkFigures(result);
  });

  it('from the channel: the same figures, each entry counted once', async () => {
    const result = await report();
    assert.equal(result.source, 'channel');
    checkFigures(result);
  });

  it('a service filter, a period with nothing in it ("no data", never 0), and bad periods', async () => {
    const none = await report('--from', '2020-01-01', '--to', '2020-01-31', '--local');
    assert.equal(none.overall.deploymentFrequency.band, 'no data');
    assert.equal(none.overall.changeFailureRate.rate, null);
    const unknown = await sandbox.run(['report', 'wbe']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean "web"/);
    const both = await sandbox.run(['report', '--since', '7d', '--from', '2026-01-01']);
    assert.equal(both.code, 2);
    const backwards = await sandbox.run(['report', '--from', '2026-02-01', '--to', '2026-01-01']);
    assert.equal(backwards.code, 2);
    assert.match(backwards.stderr, /The period is empty/);
    const bad = await sandbox.run(['report', '--from', 'last tuesday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from: expected a date as YYYY-MM-DD/);
  });

  it('as text: the keys with their counts and bands, the weekly charts, and what was not counted', async () => {
    const result = await sandbox.run(['report', '--local', '--verbose']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Change failure rate\s+3\/4 = 75\.0%\s+failed 1, restart 1, incident 1\s+low/);
    assert.match(result.stdout, /Deployment frequency\s+0\.10\/day, 0\.7\/week\s+3 successful deploys in 30 days\s+medium/);
    assert.match(result.stdout, /Deploys per week\s+[·▁-█]+/);
    assert.match(result.stdout, /Not counted: 1 refused/);
    assert.match(result.stdout, new RegExp(`${ids.v2}\\s+web\\s+restart\\s+${ids.restart}`));
  });
});
