import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {Sandbox, waitFor} from '../support/cli.js';
import {RunningWatcher, type WatchEvent as Event} from '../support/watcher.js';
import {httpService, tcpService, type Running} from '../support/servers.js';
import {FakeSlack} from '../support/slack-server.js';
import {TOKEN} from '../support/world.js';

/**
 * foggy watch end to end: real loopback services stopped and started, the loopback Slack, a short interval.
 */
describe('foggy watch, end to end', function () {
  this.timeout(60_000);
  let db: Running;
  let site: Running;
  let siteUp: boolean;
  let slack: FakeSlack;
  let sandbox: Sandbox;
  let flips = 0;

  before(async () => {
    site = await httpService((request, response) => {
      if (request.url === '/down') response.statusCode = 503;
      else if (request.url === '/flappy') {
        flips++;
        response.statusCode = flips % 2 === 0 ? 200 : 503;
      } else response.statusCode = siteUp ? 200 : 503;
      response.end('Hello');
    });
  });
  after(() => site.close());
  beforeEach(async () => {
    siteUp = true;
    db = await tcpService();
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(
      `version: 1
channel: "#ops"
watch: {interval: 100ms, down_after: 3, up_after: 2, remind: 0}
alert: {mention: ["U0ONCALL1", "S0SRE0001"]}
services:
  db:
    status:
      - tcp: ${db.url}
        timeout: 500ms
  web:
    depends_on: [db]
    status:
      - http: ${site.url}
        name: site
        timeout: 500ms
  flappy:
    watch: {flapping: {changes: 4, window: 1m}}
    status:
      - http: ${site.url}flappy
        timeout: 500ms
  slow:
    watch: {remind: 250ms}
    status:
      - http: ${site.url}down
        timeout: 500ms
`,
      {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_MIRROR_BUDGET: '2s', FOGGY_BACKGROUND_FLUSH: '0'},
    );
  });
  afterEach(async () => {
    // A failed test must not leave a watcher behind.
    for (const running of started.splice(0)) running.child.kill('SIGKILL');
    await db.close();
    await slack.stop();
    sandbox.remove();
  });

  const started: RunningWatcher[] = [];
  const watcher = (...args: string[]) => {
    const running = new RunningWatcher(sandbox.spawn(['watch', '--json', ...args]));
    started.push(running);
    return running;
  };
  const incidents = () => sandbox.journal.entries().filter((entry) => entry.verb === 'incident');
  const roots = () => slack.posts().filter((message) => !message.thread_ts && message.metadata?.event_type === 'foggy_entry');
  const thread = (ts: string) => slack.messages.filter((message) => message.thread_ts === ts);

  it('a service is down after down_after failed rounds, and not before; the first message mentions the on-call', async () => {
    await db.close();
    const two = await sandbox.run(['watch', 'db', '--json', '--max-rounds', '2']);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stdout, '', 'two failed rounds: no state change yet');
    assert.equal(incidents().length, 0);
    const third = await sandbox.run(['watch', 'db', '--json', '--max-rounds', '1']);
    const [event] = third.stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);
    assert.deepEqual([event.service, event.state, event.previous], ['db', 'down', 'unknown']);
    const [incident] = incidents();
    assert.deepEqual([incident.id, incident.outcome, incident.services], [event.incident, 'running', ['db']]);
    const [root] = roots();
    assert.match(JSON.stringify(root.blocks), /\*db\* is \*down\* since .* <@U0ONCALL1> <!subteam\^S0SRE0001>/);
    assert.match(JSON.stringify(root.blocks), /connection refused/);
  });

  it('recovery edits the same message to green with the outage length, and says so in its thread', async () => {
    await db.close();
    const running = watcher('db');
    const down = await running.until('db', 'down');
    await waitFor(() => roots().length === 1, 'the alert in the channel');
    db = await tcpService(db.port);
    const up = await running.until('db', 'up');
    assert.equal(up.incident, down.incident);
    assert.ok((up.downMs ?? 0) > 0);
    await waitFor(() => thread(roots()[0].ts).length === 1, 'the recovery in the thread');
    const result = await running.stop();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(roots().length, 1, 'one message for the whole incident');
    const [root] = roots();
    assert.equal(root.edited, true);
    assert.match(JSON.stringify(root.blocks), /\*db\* is \*up\* again: down \d/);
    assert.doesNotMatch(JSON.stringify(root.blocks), /<@U0ONCALL1>/, 'the edited message mentions nobody');
    const [recovery] = thread(root.ts);
    assert.match(recovery.text, /db is up again after/);
    assert.doesNotMatch(JSON.stringify(recovery.blocks), /<@|<!/);
    const [incident] = incidents();
    assert.deepEqual([incident.outcome, incident.durationMs! > 0], ['resolved', true]);
    const log = JSON.parse((await sandbox.run(['log', '--verb', 'incident', '--local', '--json'])).stdout);
    assert.deepEqual(log.entries.map((entry: {outcome: string}) => entry.outcome), ['resolved']);
  });

  it('reminders go into the thread, never as new root messages, and mention nobody', async () => {
    const running = watcher('slow');
    await running.until('slow', 'down');
    await waitFor(() => roots().length === 1 && thread(roots()[0].ts).length >= 2, 'two reminders');
    await running.stop();
    assert.equal(roots().length, 1);
    for (const reminder of thread(roots()[0].ts)) {
      assert.match(reminder.text, /slow is still down, for/);
      assert.doesNotMatch(JSON.stringify(reminder.blocks), /<@|<!/);
    }
  });

  it('a flapping service is one state and one message, not a message per flip', async () => {
    const running = watcher('flappy');
    await running.until('flappy', 'flapping');
    // Keep it flipping a while longer: nothing more is said.
    const flipsSoFar = flips;
    await waitFor(() => flips >= flipsSoFar + 8, 'more flips');
    await running.stop();
    // Its first result may have been a good one (first sight: up); after that, flapping, once.
    const states = running.events.map((event) => event.state);
    assert.deepEqual(states.slice(states.indexOf('flapping')), ['flapping']);
    assert.ok(states.length <= 2, states.join(' '));
    assert.equal(roots().length, 1);
    assert.match(JSON.stringify(roots()[0].blocks), /\*flappy\* is \*flapping\*/);
  });

  it('a service whose depends_on service is down is "down because db is down" and raises no alert of its own', async () => {
    await db.close();
    siteUp = false;
    const running = watcher('db', 'web');
    const web = await running.until('web', 'down');
    await running.until('db', 'down');
    await waitFor(() => roots().length === 1, 'the db alert');
    await running.stop();
    assert.equal(web.because, 'db');
    assert.equal(web.incident, undefined);
    assert.deepEqual(incidents().map((entry) => entry.services[0]), ['db']);
    assert.match(roots()[0].text, /^db is down/);
  });

  it('a watcher killed mid-incident: the next one resolves the very same message, never opens a second', async () => {
    await db.close();
    const first = watcher('db');
    const down = await first.until('db', 'down');
    await waitFor(() => roots().length === 1, 'the alert');
    const killed = await first.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');
    db = await tcpService(db.port);
    const second = watcher('db');
    const up = await second.until('db', 'up');
    await waitFor(() => thread(roots()[0].ts).length === 1, 'the recovery');
    await second.stop();
    assert.equal(up.incident, down.incident);
    assert.equal(roots().length, 1);
    assert.equal(roots()[0].edited, true);
    assert.equal(incidents().length, 1);
    assert.equal(incidents()[0].outcome, 'resolved');
  });

  it('Slack down during an incident: it waits in the outbox and is delivered once, in order, when Slack is back', async () => {
    const port = slack.port;
    await slack.stop();
    await db.close();
    const running = watcher('db');
    await running.until('db', 'down');
    db = await tcpService(db.port);
    await running.until('db', 'up');
    assert.equal(incidents()[0].outcome, 'resolved');
    await slack.start(port);
    await waitFor(() => roots().length === 1 && thread(roots()[0].ts).length === 1, 'the incident, once Slack is back');
    await running.stop();
    assert.equal(roots().length, 1);
    assert.match(JSON.stringify(roots()[0].blocks), /is \*up\* again/);
    assert.equal(existsSync(join(sandbox.env.XDG_STATE_HOME!, 'foggy', 'outbox', `${incidents()[0].id}.json`)), false);
  });

  it('a second watcher on the same state directory is refused (exit 3) and says who holds it; SIGTERM stops the first with exit 0', async () => {
    const first = watcher('web');
    await first.until('web', 'up');
    const second = await sandbox.run(['watch', 'web', '--json']);
    assert.equal(second.code, 3);
    assert.match(JSON.parse(second.stdout).error.message, new RegExp(`foggy watch is already running by \\S+@\\S+ \\(pid ${first.child.pid}, since`));
    const stopped = await first.stop('SIGTERM');
    assert.equal(stopped.code, 0, stopped.stderr);
  });

  it('--once runs one round: exit 0 when every service passed, 1 when one failed', async () => {
    const up = await sandbox.run(['watch', 'db', 'web', '--once']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /db up/);
    await db.close();
    const down = await sandbox.run(['watch', 'db', '--once']);
    assert.equal(down.code, 1);
  });

  for (const limited of [false, true]) {
    it(`many services down at once, then back${limited ? ', the channel limited to one message a second' : ''}: each incident one message, edited, one recovery`, async function () {
      this.timeout(120_000);
      if (limited) slack.rateLimitPerSecond = 1;
      const names = Array.from({length: 6}, (_, i) => `svc${i}`);
      sandbox.dir.file('many.yml', `version: 1\nchannel: "#ops"\nwatch: {interval: 100ms, down_after: 2, up_after: 2, remind: 0}\nservices:\n${names.map((name) => `  ${name}:\n    status:\n      - tcp: ${db.url}\n        timeout: 500ms\n`).join('')}`);
      await db.close();
      const running = watcher('--config', join(sandbox.dir.path, 'many.yml'));
      for (const name of names) await running.until(name, 'down');
      await waitFor(() => roots().length === names.length, 'every alert in the channel', 30_000);
      db = await tcpService(db.port);
      for (const name of names) await running.until(name, 'up');
      await waitFor(() => roots().every((root) => root.edited && thread(root.ts).length === 1), 'every incident green, its recovery threaded', 30_000);
      await running.stop();
      assert.equal(roots().length, names.length);
      assert.deepEqual(roots().map((root) => root.metadata!.event_payload.services).sort(), names.sort());
      for (const root of roots()) assert.equal(thread(root.ts).length, 1, 'one recovery each');
      assert.deepEqual(incidents().map((entry) => entry.outcome), names.map(() => 'resolved'));
    });
  }

  it('bad input is a usage error (exit 2), and nothing is watched', async () => {
    for (const args of [['--interval', 'often'], ['--interval', '0ms'], ['nosuch']]) {
      const result = await sandbox.run(['watch', ...args, '--json']);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(JSON.parse(result.stdout).ok, false);
    }
    assert.equal(incidents().length, 0);
  });
});
