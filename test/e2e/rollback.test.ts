import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {ActionRun} from '../../src/cli/outputs.js';
import type {JournalEntry} from '../../src/core/journal/journal.js';
import {FOGGY, Sandbox, waitFor} from '../support/cli.js';
import {testPostgres, usePostgres} from '../support/postgres.js';
import {startServe, textOf, type Serving} from '../support/serve.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack, type StoredMessage} from '../support/slack-server.js';
import {RunningWatcher} from '../support/watcher.js';
import {TOKEN} from '../support/world.js';

usePostgres();

/**
 * Putting the last good version back, end to end: deploys through the real CLI against the loopback Slack, the
 * rollback chosen from the record, its entry, the deploy's message edited, the report's figures; from chat with
 * the Socket Mode imitation (a command and the button); the watcher's side; and the refusals.
 */
describe('rollback, end to end', function () {
  this.timeout(60_000);
  let slack: FakeSlack;
  let sandbox: Sandbox;
  const serving: Serving[] = [];
  const watchers: RunningWatcher[] = [];

  // The deploy action records what it ran with; a ref "bad…" fails; a file "hold" keeps it running.
  const deployAction = `["sh", "-c", "printf '%s %s %s\\\\n' \\"$FOGGY_VERB\\" \\"$FOGGY_REF\\" \\"$FOGGY_ROLLBACK_OF\\" >> ran; while [ -e hold ]; do sleep 0.02; done; case \\"$FOGGY_REF\\" in bad*) exit 1;; esac"]`;
  const catalog = (extra = '', web = '') => `version: 1
channel: "#ops"
chat:
  allow: {deploy: [U0ALICE01], status: everyone}
services:
  web:
    deploy:
      run: ${deployAction}
${web}${extra}`;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0'});
  });
  afterEach(async () => {
    rmSync(join(sandbox.dir.path, 'hold'), {force: true});
    for (const server of serving.splice(0)) server.child.kill('SIGKILL');
    for (const watcher of watchers.splice(0)) watcher.child.kill('SIGKILL');
    await slack.stop();
    sandbox.remove();
  });

  const ran = () => (existsSync(join(sandbox.dir.path, 'ran')) ? readFileSync(join(sandbox.dir.path, 'ran'), 'utf8').replace(/\n$/, '').split('\n') : []);
  const deploy = async (ref: string, on = sandbox) => {
    const result = await on.run(['deploy', 'web', '--ref', ref, '--json']);
    return JSON.parse(result.stdout) as ActionRun;
  };
  const entry = (id: string): JournalEntry => sandbox.journal.entries().find((candidate) => candidate.id === id)!;
  const messageOf = (id: string): StoredMessage | undefined => slack.posts().find((message) => (message.metadata?.event_payload as {id?: string} | undefined)?.id === id);

  it('deploy v1, v2, then v3 fails: rollback deploys v2, records what it undid, marks v3\'s message, and the report counts the restore', async () => {
    await deploy('v1');
    const v2 = await deploy('v2');
    const v3 = await deploy('bad-v3');
    assert.equal(v3.exitCode, 1);
    // The failed deploy's message offers the way back, naming the target.
    const offered = messageOf(v3.entry)!;
    assert.match(textOf(offered), /Roll back to v2/);

    const result = await sandbox.run(['rollback', 'web', '--json', '--reason', 'v3 breaks checkout']);
    assert.equal(result.code, 0, result.stderr);
    const rollback = JSON.parse(result.stdout) as ActionRun;
    assert.deepEqual([rollback.verb, rollback.outcome, rollback.rollback?.of.id, rollback.rollback?.to.id, rollback.rollback?.to.ref], ['rollback', 'succeeded', v3.entry, v2.entry, 'v2']);
    assert.equal(ran().at(-1), `rollback v2 ${v3.entry}`, 'the deploy action, with the earlier ref and FOGGY_ROLLBACK_OF');

    const recorded = entry(rollback.entry);
    assert.deepEqual([recorded.verb, recorded.rollbackOf, recorded.args.ref, recorded.args.from, recorded.reason], ['rollback', v3.entry, 'v2', 'bad-v3', 'v3 breaks checkout']);
    const posted = messageOf(rollback.entry)!;
    assert.match(textOf(posted), /\*rollback\* `web` to `v2` from `bad-v3`/);
    assert.equal((posted.metadata?.event_payload as {rollbackOf?: string}).rollbackOf, v3.entry);
    // v3's message: the button gone, who rolled it back, and a link to the rollback's message.
    await waitFor(() => /Rolled back to `v2` by .*the rollback/.test(textOf(messageOf(v3.entry)!)), "v3's message marked");
    const marked = messageOf(v3.entry)!;
    assert.doesNotMatch(textOf(marked), /Roll back to v2/);
    assert.match(textOf(marked), new RegExp(`archives/C0OPS00001/p${posted.ts.replace('.', '')}`));
    assert.equal((marked.metadata?.event_payload as {id: string}).id, v3.entry, 'its metadata kept');

    const report = JSON.parse((await sandbox.run(['report', '--json'])).stdout) as {overall: {changeFailureRate: {failing: number; failingDeploys: {id: string; why: string}[]}; timeToRestore: {rolledBack: number; medianMs: number}}};
    assert.deepEqual(report.overall.changeFailureRate.failingDeploys.map((d) => [d.id, d.why]), [[v3.entry, 'failed']]);
    assert.equal(report.overall.timeToRestore.rolledBack, 1);
    assert.equal(report.overall.timeToRestore.medianMs, Date.parse(recorded.endedAt!) - Date.parse(entry(v3.entry).startedAt));
  });

  it('a second rollback goes further back; the same answer from the channel as from the journal; --to picks another good one', async () => {
    const v1 = await deploy('v1');
    await deploy('v2');
    const v3 = await deploy('v3');
    const first = JSON.parse((await sandbox.run(['rollback', 'web', '--json'])).stdout) as ActionRun;
    assert.equal(first.rollback?.to.ref, 'v2');
    const plans = await Promise.all([sandbox.run(['rollback', 'web', '--dry-run', '--json']), sandbox.run(['rollback', 'web', '--dry-run', '--json'], {env: {FOGGY_SLACK_TOKEN: ''}})]);
    const [fromChannel, fromJournal] = plans.map((plan) => JSON.parse(plan.stdout) as {rollback: {of: {id: string}; to: {id: string; ref: string}; read: string[]}});
    assert.deepEqual(fromChannel.rollback.read, ['the journal', '#ops']);
    assert.deepEqual(fromJournal.rollback.read, ['the journal']);
    assert.deepEqual([fromChannel.rollback.of.id, fromChannel.rollback.to.id], [first.entry, v1.entry]);
    assert.deepEqual([fromJournal.rollback.of.id, fromJournal.rollback.to.id], [first.entry, v1.entry]);
    // Another machine's view: only the channel knows these deploys.
    const elsewhere = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0'});
    try {
      const plan = JSON.parse((await elsewhere.run(['rollback', 'web', '--dry-run', '--json'])).stdout) as typeof fromChannel;
      assert.deepEqual([plan.rollback.of.id, plan.rollback.to.id, plan.rollback.read], [first.entry, v1.entry, ['the journal', '#ops']]);
    } finally {
      elsewhere.remove();
    }
    const chosen = JSON.parse((await sandbox.run(['rollback', 'web', '--to', v3.entry.slice(0, 12), '--json'])).stdout) as ActionRun;
    assert.deepEqual([chosen.rollback?.to.id, chosen.rollback?.to.ref], [v3.entry, 'v3']);
    assert.equal(ran().at(-1), `rollback v3 ${first.entry}`);
  });

  it('a dry run shows the deploy it undoes, the one it goes back to and the command; it runs and records nothing', async () => {
    await deploy('v1');
    await deploy('bad');
    const before = sandbox.journal.entries().length;
    const result = await sandbox.run(['rollback', 'web', '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Undoes: bad \(failed, .* entry \S+\)\nGoes back: v1 \(succeeded/);
    assert.match(result.stdout, /with: FOGGY_ROLLBACK_OF=\S+/);
    assert.equal(sandbox.journal.entries().length, before);
    assert.deepEqual(ran(), ['deploy v1 ', 'deploy bad ']);
  });

  it('nothing to go back to: a clear line naming what is missing, exit 2, nothing runs or is recorded', async () => {
    const refused = async (args: string[], pattern: RegExp) => {
      const before = sandbox.journal.entries().length;
      const result = await sandbox.run(['rollback', 'web', ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.equal(sandbox.journal.entries().length, before, 'nothing recorded');
      const json = await sandbox.run(['rollback', 'web', ...args, '--json']);
      assert.equal((JSON.parse(json.stdout) as {error: {exitCode: number}}).error.exitCode, 2);
    };
    await refused([], /No deploy of web in the record \(the journal, #ops\): nothing to roll back\. Nothing ran\./);
    await deploy('v1');
    await refused([], /No earlier good deploy of web to go back to: the current one is deploy v1 \(succeeded/);
    const bad = await deploy('bad');
    const current = await deploy('bad-too');
    await refused(['--to', 'v9'], /"v9" is neither a ref web was deployed with nor an entry/);
    await refused(['--to', bad.entry], /is not a good deploy to go back to: deploy bad \(failed/);
    await refused(['--to', 'bad'], /"bad" is not a good deploy to go back to/);
    await refused(['--to', current.entry], /is web's current deploy or a later one/);
    await refused(['--to', 'x'.repeat(300)], /to: /);
    await refused(['--to', ' '], /to: empty/);
    // What it was given is shown quoted, a line break included: one line says it.
    await refused(['--to', 'v1\nrm -rf /'], /^Error: "v1\\nrm -rf \/" is neither a ref/m);
    assert.deepEqual(ran(), ['deploy v1 ', 'deploy bad ', 'deploy bad-too ']);
  });

  it('the earlier deploy ran without a ref: refused, naming it; a service\'s own rollback action runs instead of its deploy', async () => {
    // A deploy script that takes its ref from the environment when there is one: a deploy without --ref is allowed.
    writeFileSync(join(sandbox.dir.path, 'deploy.sh'), 'echo "deploy ${FOGGY_REF:-none}" >> ran; case "$FOGGY_REF" in bad*) exit 1;; esac\n');
    writeFileSync(join(sandbox.dir.path, 'foggy.yml'), `version: 1\nchannel: "#ops"\nservices:\n  web:\n    deploy:\n      run: ["sh", "deploy.sh"]\n    rollback:\n      run: ["sh", "-c", "echo \\"own $FOGGY_VERB $FOGGY_REF $FOGGY_ROLLBACK_OF\\" >> ran"]\n`);
    assert.equal((await sandbox.run(['deploy', 'web'])).code, 0);
    await deploy('bad');
    const result = await sandbox.run(['rollback', 'web']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /The deploy to go back to, deploy without a ref \(succeeded, .*\), names no ref to deploy again\. Nothing ran\.\nFor example: --to v2/);
    const v2 = await deploy('v2');
    await deploy('bad-again');
    const done = await sandbox.run(['rollback', 'web', '--json']);
    assert.equal(done.code, 0, done.stderr);
    const rolled = JSON.parse(done.stdout) as ActionRun;
    assert.equal(rolled.rollback?.to.id, v2.entry);
    assert.deepEqual(ran(), ['deploy none', 'deploy bad', 'deploy v2', 'deploy bad-again', `own rollback v2 ${rolled.rollback?.of.id}`]);
  });

  it('the same safety as deploy: a protected service asks, naming both refs; the lock refuses, and --wait undoes the deploy it waited for', async () => {
    writeFileSync(join(sandbox.dir.path, 'foggy.yml'), catalog('', '    protected: true\n'));
    await sandbox.run(['deploy', 'web', '--ref', 'v1', '--yes']);
    await sandbox.run(['deploy', 'web', '--ref', 'bad', '--yes']);
    const unconfirmed = await sandbox.run(['rollback', 'web']);
    assert.equal(unconfirmed.code, 3);
    assert.match(unconfirmed.stderr, /web is protected: rollback needs confirmation/);
    const inTerminal = execFileSync('script', ['-qec', `${process.execPath} ${FOGGY} rollback web; echo "exit=$?"`, '/dev/null'], {cwd: sandbox.dir.path, env: sandbox.env, input: 'nope\n', encoding: 'utf8'});
    assert.match(inTerminal, /Type the service name to roll web back from bad \(failed\) to v1:/);
    assert.match(inTerminal, /exit=3/);
    assert.equal(ran().length, 2);

    // A deploy holds the lock: refused at once; with --wait, the rollback undoes the deploy it waited for.
    writeFileSync(join(sandbox.dir.path, 'hold'), '');
    const holding = await sandbox.start(['deploy', 'web', '--ref', 'v4', '--yes', '--json']);
    await waitFor(() => ran().length === 3, 'the deploy running');
    const locked = await sandbox.run(['rollback', 'web', '--yes']);
    assert.equal(locked.code, 3);
    assert.match(locked.stderr, /web is being deployed by .*Nothing ran\./);
    const waiting = await sandbox.start(['rollback', 'web', '--yes', '--wait', '30s', '--json']);
    await waitFor(() => /waiting up to 30s/.test(waiting.stderr()), 'the rollback waiting');
    rmSync(join(sandbox.dir.path, 'hold'));
    const v4 = JSON.parse((await holding.done).stdout) as ActionRun;
    const waited = await waiting.done;
    assert.equal(waited.code, 0, waited.stderr);
    const rolled = JSON.parse(waited.stdout) as ActionRun;
    assert.deepEqual([rolled.rollback?.of.id, rolled.rollback?.of.outcome, rolled.rollback?.to.ref], [v4.entry, 'succeeded', 'v1']);
    assert.equal(ran().at(-1), `rollback v1 ${v4.entry}`);
  });

  it("a team on PostgreSQL without Slack: another machine's deploys are in the team's database, and rollback chooses from them", async () => {
    const url = await (await testPostgres()).database();
    const hostA = new Sandbox(catalog(), {FOGGY_DATABASE_URL: url});
    const hostB = new Sandbox(catalog(), {FOGGY_DATABASE_URL: url});
    try {
      const v1 = await deploy('v1', hostA);
      const bad = await deploy('bad', hostA);
      const result = await hostB.run(['rollback', 'web', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const rolled = JSON.parse(result.stdout) as ActionRun;
      assert.deepEqual([rolled.rollback?.of.id, rolled.rollback?.to.id, rolled.rollback?.read], [bad.entry, v1.entry, ['the journal', "the team's database"]]);
      // And back on the first machine, the rollback is the current deploy: the next one goes further back.
      const again = await hostA.run(['rollback', 'web', '--dry-run', '--json']);
      assert.equal(again.code, 2, again.stdout);
      assert.match((JSON.parse(again.stdout) as {error: {message: string}}).error.message, /No earlier good deploy of web to go back to: the current one is rollback v1/);
    } finally {
      hostA.remove();
      hostB.remove();
    }
  });

  describe('from chat', () => {
    const clickable = async (id: string): Promise<StoredMessage> => {
      await waitFor(() => /Roll back to/.test(textOf(messageOf(id) ?? {})), 'the button');
      return structuredClone(messageOf(id)!);
    };

    it('/foggy rollback web: allowed by the deploy rule; someone else is refused and recorded', async () => {
      const v1 = await deploy('v1');
      const bad = await deploy('bad');
      serving.push(await startServe(sandbox, slack));
      slack.slash({text: 'rollback web', user: 'U0BOB0001'});
      await waitFor(() => slack.ephemerals.some((e) => /Not allowed: rollback `web`/.test(e.text) && /chat\.allow\.deploy/.test(e.text)), 'bob refused by the deploy rule');
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'rollback' && e.outcome === 'refused'), 'the refusal recorded');
      slack.slash({text: 'rollback web --dry-run', user: 'U0ALICE01'});
      await waitFor(() => slack.ephemerals.some((e) => /would roll back from `bad` \(failed, entry/.test(e.text)), 'the dry run answered');
      slack.slash({text: 'rollback web --reason "bad is bad"', user: 'U0ALICE01'});
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'rollback' && e.outcome === 'succeeded'), 'the rollback');
      const done = sandbox.journal.entries().find((e) => e.verb === 'rollback' && e.outcome === 'succeeded')!;
      assert.deepEqual([done.rollbackOf, done.args.ref, done.who.slackUser, done.where.kind, done.reason], [bad.entry, 'v1', 'U0ALICE01', 'chat', 'bad is bad']);
      assert.ok(v1.ok);
    });

    it('the button: a stranger is refused; the first click rolls back, the second (and a redelivery) are told; the message says by whom', async () => {
      await deploy('v1');
      const bad = await deploy('bad');
      serving.push(await startServe(sandbox, slack));
      const message = await clickable(bad.entry);
      slack.click(message, 'foggy_rollback', {user: 'U0BOB0001'});
      await waitFor(() => slack.ephemerals.some((e) => /Not allowed: rollback `web`/.test(e.text)), 'the stranger refused');
      const envelope = slack.click(message, 'foggy_rollback', {user: 'U0ALICE01'});
      slack.click(message, 'foggy_rollback', {user: 'U0ALICE01', envelopeId: envelope});
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'rollback' && e.outcome === 'succeeded'), 'rolled back');
      slack.click(message, 'foggy_rollback', {user: 'U0ALICE01'});
      await waitFor(() => slack.ephemerals.some((e) => /already asked for|has been deployed since/.test(e.text)), 'the second click told');
      assert.equal(sandbox.journal.entries().filter((e) => e.verb === 'rollback' && e.outcome === 'succeeded').length, 1, 'one rollback, however many clicks');
      assert.equal(ran().filter((line) => line.startsWith('rollback')).length, 1);
      await waitFor(() => /Rolled back to `v1` by/.test(textOf(messageOf(bad.entry) ?? {})), 'the deploy message marked, its metadata kept');
      assert.doesNotMatch(textOf(messageOf(bad.entry)!), /"action_id":"foggy_rollback"/);
    });

    it('approvers are honoured: the click opens a confirmation naming both refs, an approver runs it', async () => {
      writeFileSync(join(sandbox.dir.path, 'foggy.yml'), catalog('', '    chat:\n      approvers: [U0CAROL01]\n'));
      await deploy('v1');
      const bad = await deploy('bad');
      serving.push(await startServe(sandbox, slack));
      const message = await clickable(bad.entry);
      slack.click(message, 'foggy_rollback', {user: 'U0ALICE01'});
      await waitFor(() => slack.posts().some((m) => /Approval needed: \*roll back\* `web` from `bad` to `v1`/.test(textOf(m))), 'the confirmation');
      assert.deepEqual(ran(), ['deploy v1 ', 'deploy bad '], 'nothing ran before the approval');
      const confirmation = structuredClone(slack.posts().find((m) => /Approval needed/.test(textOf(m)))!);
      slack.click(confirmation, 'foggy_approve', {user: 'U0CAROL01'});
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'rollback' && e.outcome === 'succeeded'), 'rolled back once approved');
      const done = sandbox.journal.entries().find((e) => e.verb === 'rollback' && e.outcome === 'succeeded')!;
      assert.deepEqual([done.rollbackOf, done.args.ref, done.confirmedBy], [bad.entry, 'v1', 'U0CAROL01']);
    });
  });

  describe('with the watcher', () => {
    let site: Running;
    let up = true;
    before(async () => {
      site = await httpService((_, response) => {
        response.statusCode = up ? 200 : 503;
        response.end(up ? 'ok' : 'down');
      });
    });
    after(() => site.close());

    it('a deploy followed by an incident gains the button; the rollback\'s outcome goes into the incident\'s thread', async () => {
      up = true;
      writeFileSync(
        join(sandbox.dir.path, 'foggy.yml'),
        catalog('watch: {interval: 100ms, down_after: 2, up_after: 1, remind: 0, grace_after_action: 0}\n', `    status:\n      - http: ${site.url}\n        timeout: 500ms\n`),
      );
      const watcher = new RunningWatcher(sandbox.spawn(['watch', '--json']));
      watchers.push(watcher);
      await watcher.until('web', 'up');
      const v1 = await deploy('v1');
      const v2 = await deploy('v2');
      up = false;
      await watcher.until('web', 'down');
      await waitFor(() => /Roll back to v1/.test(textOf(messageOf(v2.entry) ?? {})), "v2's message offers the way back", 15_000);
      const rollback = JSON.parse((await sandbox.run(['rollback', 'web', '--json'])).stdout) as ActionRun;
      assert.equal(rollback.rollback?.to.id, v1.entry);
      const incident = () => slack.posts().find((m) => (m.metadata?.event_payload as {verb?: string} | undefined)?.verb === 'incident');
      await waitFor(() => incident() !== undefined, 'the incident posted');
      await waitFor(() => slack.messages.some((m) => m.thread_ts === incident()!.ts && /web\* rolled back to `v1` by .*: \*succeeded\*/.test(textOf(m))), "the rollback in the incident's thread", 15_000);
    });
  });
});
