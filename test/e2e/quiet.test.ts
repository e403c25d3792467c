import assert from 'node:assert/strict';
import {rmSync, writeFileSync, existsSync} from 'node:fs';
import {join} from 'node:path';
import {Sandbox, waitFor} from '../support/cli.js';
import {spawnOnHost} from '../support/hosts.js';
import {testPostgres, usePostgres} from '../support/postgres.js';
import {startServe, type Serving} from '../support/serve.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack, type StoredMessage} from '../support/slack-server.js';
import {RunningWatcher, type WatchEvent} from '../support/watcher.js';
import {TOKEN} from '../support/world.js';

usePostgres();

/**
 * Quiet when the team means it, end to end: a real watcher process against a loopback site that a deploy takes
 * down, the loopback Slack, silences from the shell and from the incident's own buttons (through foggy serve
 * and the Socket Mode imitation), and the team's quiet shared through the suite's PostgreSQL.
 */
describe('quiet: deploys, silences and the watcher, end to end', function () {
  this.timeout(60_000);
  let site: Running;
  let up = true;
  let checked = 0;
  let slack: FakeSlack;
  let sandbox: Sandbox;
  const watchers: RunningWatcher[] = [];
  const serving: Serving[] = [];

  before(async () => {
    site = await httpService((_, response) => {
      checked++;
      response.statusCode = up ? 200 : 503;
      response.end(up ? 'Hello' : 'Gone');
    });
  });
  after(() => site.close());

  const catalog = (extra = '') => `version: 1
channel: "#ops"
watch: {interval: 150ms, down_after: 2, up_after: 1, remind: 0, grace_after_action: 1s}
chat:
  allow: {silence: [U0ALICE01], status: everyone}
services:
  web:
    status:
      - http: ${site.url}
        name: site
        timeout: 500ms
    deploy:
      run: ["sh", "-c", "touch started-$0; while [ -e hold ]; do sleep 0.02; done; test \\"$0\\" != bad", "{ref}"]
  api:
    depends_on: [web]
    status:
      - http: ${site.url}api
        timeout: 500ms
${extra}`;

  beforeEach(async () => {
    up = true;
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0'});
  });
  afterEach(async () => {
    rmSync(join(sandbox.dir.path, 'hold'), {force: true});
    for (const watcher of watchers.splice(0)) watcher.child.kill('SIGKILL');
    for (const server of serving.splice(0)) server.child.kill('SIGKILL');
    await slack.stop();
    sandbox.remove();
  });

  const watch = async (on = sandbox) => {
    const watcher = new RunningWatcher(on.spawn(['watch', '--json']));
    watchers.push(watcher);
    await watcher.until('web', 'up');
    return watcher;
  };
  const rounds = async (n: number) => {
    const from = checked;
    await waitFor(() => checked >= from + 2 * n, `${n} more rounds`, 15_000);
  };
  const incidents = (on = sandbox) => on.journal.entries().filter((entry) => entry.verb === 'incident');
  /** The first event of a service that opened (or carried) an incident. */
  const incidentEvent = async (watcher: RunningWatcher, service = 'web'): Promise<WatchEvent> => {
    const find = () => watcher.events.find((event) => event.service === service && (event.state === 'down' || event.state === 'flapping') && event.incident);
    await waitFor(() => Boolean(find()), `${service}'s incident`, 15_000);
    return find()!;
  };
  const incidentPosts = () => slack.posts().filter((message) => message.metadata?.event_payload?.verb === 'incident' && !message.thread_ts);
  /** A deploy held mid-action until `letGo`, started in this process. */
  const holdingDeploy = async (ref: string, on = sandbox) => {
    writeFileSync(join(on.dir.path, 'hold'), '');
    const running = on.run(['deploy', 'web', '--ref', ref, '--json']);
    await waitFor(() => existsSync(join(on.dir.path, `started-${ref}`)), 'the deploy to start');
    return {done: running, letGo: () => rmSync(join(on.dir.path, 'hold'), {force: true})};
  };

  it('a deploy that takes the service down for several rounds posts nothing and opens no incident; its dependents neither', async () => {
    const watcher = await watch();
    const deploy = await holdingDeploy('v2');
    up = false;
    await rounds(5);
    up = true;
    deploy.letGo();
    assert.equal((await deploy.done).code, 0);
    await rounds(4);
    assert.deepEqual(incidents(), []);
    assert.deepEqual(incidentPosts(), []);
    const down = watcher.events.filter((event: WatchEvent) => event.state === 'down');
    assert.ok(down.length >= 1, 'the watcher saw it go down');
    for (const event of down) assert.match(event.quiet ?? '', /deploy v2 by .* running|web deploy v2/, JSON.stringify(event));
    assert.ok(down.some((event) => event.service === 'api'), 'the service depending on it too, quietly');
  });

  it('a deploy that leaves it down: the incident opens right after the grace, naming the deploy', async () => {
    const watcher = await watch();
    const deploy = await holdingDeploy('v3');
    up = false;
    await rounds(3);
    deploy.letGo();
    const result = JSON.parse((await deploy.done).stdout) as {entry: string};
    assert.deepEqual(incidents(), [], 'not during the deploy');
    const event = await incidentEvent(watcher);
    const [incident] = incidents().filter((entry) => entry.services[0] === 'web');
    assert.equal(event.incident, incident.id);
    assert.match(incident.summary ?? '', new RegExp(`^web is down since deploy v3 by \\S+ \\(entry ${result.entry}\\) finished \\d+(\\.\\d)?s ago: site: `));
    assert.equal(incident.incident?.began?.startsWith('since deploy v3'), true);
    await waitFor(() => incidentPosts().length >= 1, 'the incident in the channel');
    assert.match(JSON.stringify(incidentPosts()[0].blocks), /since deploy v3 by/);
  });

  it('a deploy that fails does not wait for the grace: its incident opens as it ends', async () => {
    const watcher = await watch();
    const deploy = await holdingDeploy('bad');
    up = false;
    await rounds(3);
    deploy.letGo();
    assert.equal((await deploy.done).code, 1);
    const ended = Date.now();
    await incidentEvent(watcher);
    assert.ok(Date.now() - ended < 1000, 'before a grace of 1s could have passed');
    assert.match(incidents()[0].summary ?? '', /since deploy bad by .* failed \d/);
  });

  it('an incident open before a deploy is not hushed: the deploy that mends it gets its green light', async () => {
    const watcher = await watch();
    up = false;
    const opened = await incidentEvent(watcher);
    const deploy = await holdingDeploy('fix');
    up = true;
    deploy.letGo();
    await deploy.done;
    await waitFor(() => watcher.events.some((event, index) => index > watcher.events.indexOf(opened) && event.service === 'web' && event.state === 'up' && event.incident === opened.incident), 'the incident resolved, as usual');
    await waitFor(() => incidents().some((entry) => entry.outcome === 'resolved'), 'the incident resolved');
    await waitFor(() => slack.messages.some((m) => m.edited && /up again/.test(m.text ?? '')), 'its message edited green');
  });

  it('a silence from the shell: nothing posted while down; ended early with the service still down, its incident opens within one interval', async () => {
    const watcher = await watch();
    const set = await sandbox.run(['silence', 'web', '--for', '1h', '--reason', 'db migration', '--json']);
    assert.equal(set.code, 0, set.stderr);
    const {silence} = JSON.parse(set.stdout) as {silence: {id: string; until: string}};
    await waitFor(() => slack.posts().some((m) => /web silenced for 1h by .*: db migration/.test(m.text ?? '')), 'the channel told');
    up = false;
    await rounds(5);
    assert.deepEqual(incidents(), []);
    const status = await sandbox.run(['status', 'web']);
    assert.match(status.stdout, /✖ {2}web .* — silenced until \d\d:\d\d UTC by \S+ \(db migration\)/);
    const listed = await sandbox.run(['silence']);
    assert.match(listed.stdout, new RegExp(`${silence.id}\\s+web\\s+.*db migration`));

    const ended = await sandbox.run(['silence', '--end', silence.id.slice(0, 10)]);
    assert.equal(ended.code, 0, ended.stderr);
    const event = await incidentEvent(watcher);
    assert.match(event.reason ?? '', /web is down throughout the silence by \S+ \(db migration\)/);
    await waitFor(() => slack.posts().some((m) => /web no longer silenced: ended early by/.test(m.text ?? '')), 'the end told');
    const again = await sandbox.run(['silence', '--end', silence.id]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already ended/);
    const log = await sandbox.run(['log', '--verb', 'silence', '--local']);
    assert.equal(log.stdout.trim().split('\n').length, 3, `a header and both silence entries:\n${log.stdout}`);
  });

  it('a silence that runs out on time is said in the channel, and a service still down gets its incident (the watcher\'s clock driven)', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const set = await sandbox.run(['silence', 'web', '--for', '10m', '--reason', 'planned', '--json'], {now});
    assert.equal(set.code, 0, set.stderr);
    const stop = new AbortController();
    const watcher = await sandbox.start(['watch', 'web', '--json'], {now, signal: stop.signal});
    try {
      up = false;
      await rounds(4);
      assert.deepEqual(incidents(), []);
      clock += 11 * 60_000;
      await waitFor(() => /"state":"down".*"incident"/.test(watcher.stdout()), 'the incident as the silence ran out');
      assert.match(watcher.stdout(), /web is down throughout the silence by \S+ \(planned\)/);
      await waitFor(() => slack.posts().some((m) => /web no longer silenced: the silence set by .* for 10m is over \(planned\)/.test(m.text ?? '')), 'the channel told it is over');
    } finally {
      stop.abort();
      await watcher.done;
    }
  });

  it('bad input: one clear line, exit 2, nothing set', async () => {
    const cases: [string[], RegExp][] = [
      [['silence', 'web', '--for', '0', '--reason', 'x'], /--for: not a duration|--for: expected a duration from 1m to 7d/],
      [['silence', 'web', '--for', '8d', '--reason', 'x'], /--for: expected a duration from 1m to 7d \(got "8d"\)/],
      [['silence', 'web', '--for', 'abc', '--reason', 'x'], /--for: not a duration: "abc"/],
      [['silence', 'web', '--for', '1h'], /--reason: required for a silence/],
      [['silence', 'web', '--for', '1h', '--reason', '  '], /--reason: required for a silence/],
      [['silence', 'wbe', '--for', '1h', '--reason', 'x'], /Unknown service "wbe"; did you mean "web"\?/],
      [['silence', 'web', '--until', 'tomorrow', '--reason', 'x'], /--until: expected a time such as/],
      [['silence', 'web', '--until', '2020-01-01T00:00', '--reason', 'x'], /--until: expected a time between 1 minute and 7 days from now/],
      [['silence', 'web', '--for', '1h', '--until', '2099-01-01T00:00', '--reason', 'x'], /--until: give how long the silence lasts or until when, not both/],
      [['silence', '--end', 'nope-nope'], /No silence "nope-nope"/],
      [['silence', '--end', 'x'], /Not a silence id/],
    ];
    for (const [args, message] of cases) {
      const result = await sandbox.run([...args, '--json']);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stderr.trim().split('\n')[0].startsWith('Error: '), true);
    }
    assert.deepEqual(sandbox.journal.entries(), [], 'nothing recorded');
    assert.deepEqual((JSON.parse((await sandbox.run(['silence', '--json'])).stdout) as {silences: unknown[]}).silences, []);
  });

  it('a dry run shows the silence and its message; nothing is set or recorded', async () => {
    const result = await sandbox.run(['silence', 'web', '--for', '2h', '--reason', 'x', '--dry-run', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as {dryRun: boolean; message: {text: string}};
    assert.equal(plan.dryRun, true);
    assert.match(plan.message.text, /web silenced for 2h by/);
    assert.deepEqual(sandbox.journal.entries(), []);
    assert.deepEqual(slack.posts(), []);
  });

  describe('from the alert itself', () => {
    const incidentMessage = async (): Promise<StoredMessage> => {
      await waitFor(() => incidentPosts().some((m) => (m.blocks ?? []).some((b) => b.type === 'actions')), 'the incident with its buttons', 15_000);
      return structuredClone(incidentPosts().find((m) => (m.blocks ?? []).some((b) => b.type === 'actions'))!);
    };

    it('a click silences the service, as its rule allows; a second click is told; a stranger is refused and recorded; the message says who and until when', async () => {
      serving.push(await startServe(sandbox, slack));
      const watcher = await watch();
      up = false;
      await incidentEvent(watcher);
      const message = await incidentMessage();
      assert.match(JSON.stringify(message.blocks), /Silence 1h.*Silence 4h/);

      slack.click(message, 'foggy_silence_1h', {user: 'U0BOB0001'});
      await waitFor(() => slack.ephemerals.some((e) => /Not allowed: silence `web`/.test(e.text)), 'the stranger refused');
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'silence' && e.outcome === 'refused'), 'the refusal recorded');

      const envelope = slack.click(message, 'foggy_silence_1h', {user: 'U0ALICE01'});
      slack.click(message, 'foggy_silence_4h', {user: 'U0ALICE01'});
      // Slack delivering the first click again: it runs once.
      slack.click(message, 'foggy_silence_1h', {user: 'U0ALICE01', envelopeId: envelope});
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'silence' && e.outcome === 'succeeded'), 'the silence set');
      await waitFor(() => slack.ephemerals.some((e) => /Already silenced by .* until/.test(e.text)), 'the second click told');
      const set = sandbox.journal.entries().filter((e) => e.verb === 'silence' && e.outcome === 'succeeded');
      assert.equal(set.length, 1, 'one silence, however many clicks');
      assert.equal(set[0].who.slackUser, 'U0ALICE01');
      assert.equal(Date.parse(set[0].silence!.until) - Date.parse(set[0].silence!.from), 3_600_000);
      await waitFor(() => slack.messages.some((m) => m.ts === message.ts && /silenced by/.test(JSON.stringify(m.blocks)) && !(m.blocks ?? []).some((b) => b.type === 'actions')), 'the message says who silenced it, without its buttons');
    });

    it('a click after the incident is over silences nothing', async () => {
      serving.push(await startServe(sandbox, slack));
      const watcher = await watch();
      up = false;
      await incidentEvent(watcher);
      const message = await incidentMessage();
      up = true;
      await waitFor(() => incidents().some((entry) => entry.outcome === 'resolved'), 'resolved');
      await waitFor(() => slack.messages.some((m) => m.ts === message.ts && m.edited && /up again/.test(m.text ?? '')), 'its message edited');
      slack.click(message, 'foggy_silence_4h', {user: 'U0ALICE01'});
      await waitFor(() => slack.ephemerals.some((e) => /is over: nothing was silenced/.test(e.text)), 'the click answered');
      assert.equal(sandbox.journal.entries().filter((e) => e.verb === 'silence').length, 0);
    });

    it('/foggy silence web 1h db migration works too, and alone lists the silences', async () => {
      serving.push(await startServe(sandbox, slack));
      slack.slash({text: 'silence web 1h db migration', user: 'U0ALICE01'});
      await waitFor(() => sandbox.journal.entries().some((e) => e.verb === 'silence' && e.outcome === 'succeeded'), 'the silence set');
      const [entry] = sandbox.journal.entries();
      assert.deepEqual([entry.silence?.services, entry.silence?.reason, entry.who.slackUser], [['web'], 'db migration', 'U0ALICE01']);
      slack.slash({text: 'silence', user: 'U0BOB0001'});
      await waitFor(() => slack.ephemerals.some((e) => /:no_bell: web until .* db migration/.test(e.text)), 'the list');
      slack.slash({text: 'silence web 1h nope', user: 'U0BOB0001'});
      await waitFor(() => slack.ephemerals.some((e) => /Not allowed: silence `web`/.test(e.text)), 'bob refused');
    });
  });

  it('one team, one truth: a deploy on one host quiets the active watcher on another, through the team\'s database', async () => {
    const url = await (await testPostgres()).database();
    const hostA = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0', FOGGY_DATABASE_URL: url});
    const hostB = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0', FOGGY_DATABASE_URL: url});
    try {
      const watcher = new RunningWatcher(spawnOnHost('host-b', hostB, ['watch', '--json']));
      watchers.push(watcher);
      await watcher.until('web', 'up');
      const deploy = await holdingDeploy('shared', hostA);
      up = false;
      await rounds(5);
      up = true;
      deploy.letGo();
      assert.equal((await deploy.done).code, 0);
      await rounds(3);
      assert.deepEqual(incidents(hostB), [], 'the watcher on host-b stayed quiet for host-a\'s deploy');
      assert.ok(watcher.events.some((event) => event.service === 'web' && event.state === 'down' && /deploy shared/.test(event.quiet ?? '')));
      // A silence set on host-a holds on host-b too.
      await hostA.run(['silence', 'api', '--for', '1h', '--reason', 'shared silence']);
      const status = await hostB.run(['status', 'api', '--json']);
      assert.match(JSON.stringify(JSON.parse(status.stdout).services[0].quiet), /shared silence/);
    } finally {
      hostA.remove();
      hostB.remove();
    }
  });
});
