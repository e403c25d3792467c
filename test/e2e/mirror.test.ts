import assert from 'node:assert/strict';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {assertPostedOnly, duplicates, shownEntries} from '../support/channel.js';
import {collect, Sandbox, waitFor} from '../support/cli.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack} from '../support/slack-server.js';

const TOKEN = 'xoxb-test-token-0001';

describe('the Slack mirror, end to end', function () {
  this.timeout(60_000);
  let site: Running;
  let slack: FakeSlack;
  let sandbox: Sandbox;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());

  const catalog = () => `version: 1
channel: "#ops"
services:
  web:
    status:
      - http: ${site.url}
        name: site
    deploy:
      run: ["node", "-e", "console.log('deploying', process.argv[1])", "{ref}"]
  big:
    deploy:
      run: ["node", "-e", "for (let i = 0; i < 100000; i++) console.log(String(i).padStart(8, '0') + ' ' + 'x'.repeat(40))"]
  hang:
    deploy:
      run: ["node", "-e", "require('fs').writeFileSync('hang.pid', String(process.pid)); setInterval(() => {}, 1000)"]
  leaky:
    deploy:
      run: "echo \\"using $DEPLOY_TOKEN and AKIAABCDEFGHIJKLMNOP\\"; echo password=hunter2hunter2"
`;

  beforeEach(async () => {
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(catalog(), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_MIRROR_BUDGET: '2s'});
  });
  afterEach(async () => {
    await slack.stop();
    sandbox.remove();
  });

  const outbox = async () => JSON.parse((await sandbox.run(['outbox', '--json'])).stdout).entries as {id: string}[];

  describe('what is posted', () => {
    it('status posts one message: a scannable line, a context line, a fallback text, and the entry as metadata', async () => {
      const result = await sandbox.run(['status', 'web', '--reason', 'checking after the incident']);
      assert.equal(result.code, 0, result.stderr);
      const [message] = slack.posts();
      assertPostedOnly(result.stderr, message);
      assert.equal(slack.posts().length, 1);
      assert.match(message.text, /^status web by \S+@\S+: succeeded/);
      assert.match(message.blocks![0].text!.text, /^:white_check_mark: \*status\* `web` by \*\S+\* from a terminal: \*succeeded\* in \d+ms$/);
      const context = message.blocks!.at(-1)!.elements!.map((e) => e.text).join(' | ');
      assert.match(context, /reason: “checking after the incident”/);
      const [entry] = sandbox.journal.entries();
      assert.match(context, new RegExp(entry.id));
      assert.equal(message.metadata!.event_type, 'foggy_entry');
      assert.equal(message.metadata!.event_payload.id, entry.id);
      assert.equal(message.metadata!.event_payload.outcome, 'succeeded');
      assert.deepEqual(await outbox(), []);
    });

    it('deploy posts "in progress" when it starts and updates that same message with the outcome, output in the thread', async () => {
      const result = await sandbox.run(['deploy', 'web', '--ref', 'v2']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'deploying v2\n');
      const posts = slack.posts();
      assert.equal(posts.length, 1);
      const [first] = slack.callsTo('chat.postMessage');
      assert.match(JSON.parse(first.args.metadata).event_payload.outcome, /^running$/);
      assert.match(first.args.text, /in progress/);
      const [update] = slack.callsTo('chat.update');
      assert.equal(update.args.ts, posts[0].ts);
      assert.equal(posts[0].edited, true);
      assert.equal(posts[0].metadata!.event_payload.outcome, 'succeeded');
      assert.match(posts[0].blocks![0].text!.text, /^:white_check_mark: \*deploy\* `web` `v2` by .*: \*succeeded\* in /);
      const [reply] = slack.replies(posts[0].ts);
      assert.equal(reply.metadata!.event_type, 'foggy_output');
      assert.match(reply.blocks![1].text!.text, /^```deploying v2```$/);
    });

    it('5 MB of output: the tail in the thread, the whole (kept) output as a file, and no API error', async () => {
      const result = await sandbox.run(['deploy', 'big']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(slack.calls.filter((c) => c.error), []);
      const root = slack.posts()[0];
      const replies = slack.replies(root.ts);
      assert.equal(replies.length, 2);
      assert.match(replies[0].blocks![1].text!.text, /00099999 x+```$/);
      assert.ok(replies[0].blocks![1].text!.text.length <= 3000);
      const file = replies[1].files![0];
      assert.equal(file.title, 'Output of deploy big');
      assert.match(file.name, /^foggy-deploy-big-.+\.log$/);
      const content = file.content.toString();
      assert.ok(content.startsWith('00000000 '));
      assert.ok(content.trimEnd().endsWith('00099999 ' + 'x'.repeat(40)));
      assert.match(content, /bytes of output omitted/);
    });

    it('a file Slack could not share in time is shared once from the outbox; the messages are not posted again', async () => {
      // The file is staged while the messages are posted; sharing it never answers within the run's budget.
      slack.fail('files.completeUploadExternal', {kind: 'drop'}, 1000);
      const result = await sandbox.run(['deploy', 'big'], {env: {FOGGY_MIRROR_BUDGET: '1s'}});
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await outbox()).length, 1);
      const root = slack.posts()[0];
      assert.equal(slack.replies(root.ts).length, 1, 'the tail is in the thread, the file is not');
      slack.heal('files.completeUploadExternal');
      const flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      assert.deepEqual(await outbox(), []);
      assert.equal(slack.posts().length, 1);
      const replies = slack.replies(root.ts);
      assert.equal(replies.length, 2);
      assert.equal(replies[1].files!.length, 1);
      assert.match(replies[1].files![0].content.toString(), /^00000000 /);
      assert.equal(replies.flatMap((reply) => reply.files ?? []).length, 1, 'one file in the thread');
    });

    it('masks secrets in everything posted and journaled', async () => {
      const secretEnv = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0'.repeat(2);
      const result = await sandbox.run(['deploy', 'leaky', '--reason', `rotate token=${secretEnv}`], {env: {DEPLOY_TOKEN: 'super-secret-value-123'}});
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /super-secret-value-123/, 'the local terminal sees the real output');
      const received = slack.everythingReceived();
      const journaled = readFileSync(sandbox.journal.file, 'utf8') + (sandbox.journal.readOutput(sandbox.journal.entries()[0].id) ?? '');
      for (const secret of ['super-secret-value-123', 'AKIAABCDEFGHIJKLMNOP', 'hunter2hunter2', secretEnv]) {
        assert.ok(!received.includes(secret), `${secret} reached Slack`);
        assert.ok(!journaled.includes(secret), `${secret} reached the journal`);
      }
      assert.match(received, /\[masked]/);
    });

    it('without a token: the local journal, and one line on stderr saying how to connect', async () => {
      const result = await sandbox.run(['status', 'web'], {env: {FOGGY_SLACK_TOKEN: ''}});
      assert.equal(result.code, 0);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /recorded locally only.*foggy login/);
      assert.equal(slack.calls.length, 0);
    });
  });

  describe('never hang, never lose', () => {
    it('Slack down (refusing): same exit code, bounded time, the entry waits in the outbox; a flush posts it once', async () => {
      const port = slack.port;
      await slack.stop();
      const result = await sandbox.run(['deploy', 'web', '--ref', 'v3']);
      assert.equal(result.code, 0);
      // A hang detector, not a performance threshold: the budget is 2s.
      assert.ok(result.ms < 15_000, `took ${result.ms}ms`);
      assert.match(result.stderr, /waits in the outbox, and goes out with a later run/);
      assert.equal((await outbox()).length, 1);

      slack = await new FakeSlack().start(port);
      const flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      assert.match(flushed.stdout, /Delivered 1 in 1 message; 0 waiting\./);
      assert.equal(slack.posts().length, 1);
      assert.equal(slack.posts()[0].metadata!.event_payload.outcome, 'succeeded');
      assert.equal(slack.replies(slack.posts()[0].ts).length, 1);
      assert.deepEqual(await outbox(), []);
      const again = await sandbox.run(['outbox', '--flush']);
      assert.equal(again.code, 0);
      assert.equal(slack.callsTo('chat.postMessage').length, 2);
    });

    it('Slack hanging: the mirror gives up at its budget and the exit code is the operation\'s', async () => {
      slack.hanging = true;
      const result = await sandbox.run(['status', 'web']);
      assert.equal(result.code, 0);
      assert.ok(result.ms < 15_000, `took ${result.ms}ms`);
      assert.match(result.stderr, /no answer in time.*waits in the outbox/);
      assert.equal((await outbox()).length, 1);
    });

    it('429: delivered once, after Retry-After', async () => {
      slack.fail('chat.postMessage', {kind: 'status', status: 429, retryAfter: 1});
      const result = await sandbox.run(['status', 'web']);
      assert.equal(result.code, 0, result.stderr);
      const calls = slack.callsTo('chat.postMessage');
      assert.deepEqual(calls.map((c) => c.status), [429, 200]);
      assert.ok(calls[1].at - calls[0].at >= 1000, 'waited for Retry-After');
      assert.equal(slack.posts().length, 1);
    });

    it('an answer too slow after posting: no duplicate, within the run or from the outbox', async () => {
      slack.fail('chat.postMessage', {kind: 'slow', ms: 3000, afterWrite: true});
      const result = await sandbox.run(['status', 'web']);
      assert.equal(result.code, 0);
      assert.equal((await outbox()).length, 1);
      const flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      assert.equal(slack.posts().length, 1, 'posted once');
      assert.ok(slack.callsTo('conversations.history').length >= 1, 'looked in the channel before posting again');
      assert.deepEqual(await outbox(), []);
    });

    for (const [name, fault] of [
      ['fatal_error after the write', {kind: 'error', error: 'fatal_error', afterWrite: true}],
      ['a dropped connection after the write', {kind: 'drop', afterWrite: true}],
      ['a dropped connection before the write', {kind: 'drop'}],
      ['HTTP 500', {kind: 'status', status: 500}],
      ['service_unavailable', {kind: 'error', error: 'service_unavailable'}],
    ] as const) {
      it(`${name}: retried within the run, shown exactly once`, async () => {
        slack.fail('chat.postMessage', fault);
        const result = await sandbox.run(['status', 'web']);
        assert.equal(result.code, 0);
        assert.equal(slack.posts().length, 1);
        assertPostedOnly(result.stderr, slack.posts()[0]);
        assert.deepEqual(await outbox(), []);
      });
    }

    it('kill -9 mid-deploy: the "in progress" message is later updated to "outcome unknown"', async () => {
      const child = sandbox.spawn(['deploy', 'hang']);
      const done = collect(child);
      await waitFor(() => slack.posts().length === 1 && existsSync(join(sandbox.dir.path, 'hang.pid')), 'the start message');
      child.kill('SIGKILL');
      await done;
      process.kill(Number(readFileSync(join(sandbox.dir.path, 'hang.pid'), 'utf8')), 'SIGKILL');
      const flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      const [root] = slack.posts();
      assert.equal(slack.posts().length, 1);
      assert.equal(root.metadata!.event_payload.outcome, 'unknown');
      assert.match(root.blocks![0].text!.text, /outcome unknown: process ended/);
      assert.equal(sandbox.journal.entries()[0].outcome, 'unknown');
    });

    it('an invalid token: one clear line with the fix, the same exit code, the entry kept', async () => {
      const result = await sandbox.run(['status', 'web'], {env: {FOGGY_SLACK_TOKEN: 'xoxb-revoked-or-wrong'}});
      assert.equal(result.code, 0);
      assert.match(result.stderr, /^Slack refused the entry: invalid_auth\. The entry is kept in the outbox\. The Slack token is not valid: run "foggy login".*\n$/);
      assert.equal((await outbox()).length, 1);
    });

    it('not_in_channel: says to invite the bot or add chat:write.public', async () => {
      slack.tokens.set('xoxb-no-public-0002', {scopes: ['chat:write']});
      const result = await sandbox.run(['status', 'web', '--channel', '#public-not-member'], {env: {FOGGY_SLACK_TOKEN: 'xoxb-no-public-0002'}});
      assert.equal(result.code, 0);
      assert.match(result.stderr, /not_in_channel\. The bot is not in the channel: invite it \(\/invite @foggy\), or add the chat:write\.public scope\./);
    });

    it('20 concurrent invocations against a rate-limited channel: 20 entries, none doubled, none lost', async function () {
      this.timeout(120_000);
      slack.rateLimitPerSecond = 1;
      const runs = await Promise.all(Array.from({length: 20}, () => sandbox.run(['status', 'web'])));
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      let flushed = await sandbox.run(['outbox', '--flush']);
      for (let i = 0; i < 3 && flushed.code !== 0; i++) flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stdout + flushed.stderr);
      // Entries that waited may have gone out together, in digests: each counts once wherever it is shown.
      const shown = shownEntries(slack);
      assert.deepEqual(duplicates(shown), []);
      assert.deepEqual(new Set(shown.keys()), new Set(sandbox.journal.entries().map((e) => e.id)));
    });

    it('a flush of many entries keeps to about one message per second per channel', async () => {
      const port = slack.port;
      await slack.stop();
      for (let i = 0; i < 4; i++) await sandbox.run(['status', 'web']);
      slack = await new FakeSlack().start(port);
      slack.rateLimitPerSecond = 1;
      const flushed = await sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      const calls = slack.callsTo('chat.postMessage');
      assert.deepEqual(calls.map((c) => c.status), [200, 200, 200, 200]);
      assert.equal(slack.posts().length, 4);
    });
  });

  describe('strict mode', () => {
    it('--require-mirror refuses to start (exit 3) when the channel cannot be reached, and runs nothing', async () => {
      await slack.stop();
      const result = await sandbox.run(['deploy', 'hang', '--require-mirror']);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /refused: the mirror is required and the channel cannot be reached \(connection refused/);
      assert.equal(existsSync(join(sandbox.dir.path, 'hang.pid')), false);
      assert.equal(sandbox.journal.entries()[0].outcome, 'refused');
    });

    it('mirror.required in foggy.yml does the same, and without a token says to log in', async () => {
      sandbox.dir.file('foggy.yml', catalog().replace('channel: "#ops"', 'channel: "#ops"\nmirror: {required: true}'));
      const result = await sandbox.run(['deploy', 'hang'], {env: {FOGGY_SLACK_TOKEN: ''}});
      assert.equal(result.code, 3);
      assert.match(result.stderr, /\(no Slack token\)\nRun "foggy login"/);
      const up = await sandbox.run(['deploy', 'web', '--ref', 'v1']);
      assert.equal(up.code, 0, up.stderr);
      assert.equal(slack.posts().length, 1);
    });
  });

  describe('reading back and checking', () => {
    it('log reads entries from the channel\'s metadata, and falls back to the journal when Slack is down', async () => {
      await sandbox.run(['status', 'web']);
      await sandbox.run(['deploy', 'web', '--ref', 'v5']);
      // An entry in the channel that this machine's journal does not have: proof the channel was read.
      slack.messages.push({ts: '1800000000.000001', channel: 'C0OPS00001', text: 'from CI', bot_id: 'B0FOGGY01', metadata: {event_type: 'foggy_entry', event_payload: {...sandbox.journal.entries()[0], id: 'from-ci', verb: 'restart', services: ['db'], startedAt: new Date(Date.now() + 60_000).toISOString()}}});
      const log = JSON.parse((await sandbox.run(['log', '--json'])).stdout);
      assert.equal(log.source, 'channel');
      assert.deepEqual(log.entries.map((e: {verb: string}) => e.verb), ['restart', 'deploy', 'status']);
      const onlyWeb = JSON.parse((await sandbox.run(['log', 'web', '--limit', '1', '--json'])).stdout);
      assert.deepEqual(onlyWeb.entries.map((e: {verb: string}) => e.verb), ['deploy']);

      await slack.stop();
      const fallback = await sandbox.run(['log']);
      assert.equal(fallback.code, 0);
      assert.match(fallback.stderr, /Could not read #ops \(connection (refused|reset)\); showing the local journal instead\./);
      assert.match(fallback.stdout, /deploy\s+web\s+succeeded/);
    });

    it('doctor: all good exits 0; a missing scope and an uninvited bot exit 1 with the fix', async () => {
      const good = await sandbox.run(['doctor']);
      assert.equal(good.code, 0, good.stdout + good.stderr);
      assert.match(good.stdout, /✔ auth\s+workspace Hello World as foggy/);
      assert.match(good.stdout, /✔ channel\s+#ops \(C0OPS00001\)/);

      slack.tokens.set('xoxb-narrow-0003', {scopes: ['chat:write']});
      const bad = await sandbox.run(['doctor', '--channel', '#public-not-member'], {env: {FOGGY_SLACK_TOKEN: 'xoxb-narrow-0003'}});
      assert.equal(bad.code, 1);
      assert.match(bad.stdout, /✖ scopes\s+missing files:write .*\n\s+→ Add the scopes \(slack\/manifest\.yml/);
      assert.match(bad.stdout, /✖ channel\s+/);
    });

    it('login verifies token and channel and stores them with mode 0600; logout removes them', async () => {
      const env = {FOGGY_SLACK_TOKEN: ''};
      const child = sandbox.spawn(['login', '--with-token', '--channel', '#ops'], {env});
      child.stdin?.end(TOKEN);
      const stdinChild = await collect(child);
      assert.equal(stdinChild.code, 0, stdinChild.stderr);
      assert.match(stdinChild.stdout, /Logged in to Hello World as foggy; default channel #ops\./);
      const file = join(sandbox.env.XDG_CONFIG_HOME!, 'foggy', 'config.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).token, TOKEN);
      assert.deepEqual(slack.calls.map((c) => c.method).slice(0, 3), ['auth.test', 'conversations.list', 'conversations.info']);

      const status = await sandbox.run(['status', 'web'], {env});
      assert.equal(status.code, 0);
      assert.equal(slack.posts().length, 1, 'the stored token is used');

      const logout = await sandbox.run(['logout'], {env});
      assert.equal(logout.code, 0);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).token, undefined);
    });

    it('login with a token Slack rejects saves nothing', async () => {
      const child = sandbox.spawn(['login', '--with-token'], {env: {FOGGY_SLACK_TOKEN: ''}});
      child.stdin?.end('xoxb-not-valid');
      const result = await collect(child);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Slack did not accept the token: invalid_auth\. Nothing was saved\./);
      assert.equal(existsSync(join(sandbox.env.XDG_CONFIG_HOME!, 'foggy', 'config.json')), false);
    });
  });
});
