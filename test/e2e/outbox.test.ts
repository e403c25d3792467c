import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {waitFor} from '../support/cli.js';
import {seedBacklog, stateDirOf} from '../support/backlog.js';
import {assertPostedOnly, duplicates, shownEntries} from '../support/channel.js';
import {FakeSlack} from '../support/slack-server.js';
import {slackWorld} from '../support/world.js';


describe('the outbox under pressure', function () {
  this.timeout(120_000);
  const world = slackWorld({catalog: (url) => `version: 1\nchannel: "#ops"\nservices:\n  web:\n    status:\n      - http: ${url}\n`});

  const outbox = async () => JSON.parse((await world.sandbox.run(['outbox', '--json'])).stdout) as {entries: {id: string}[]; setAside: {id: string; reason: string; fix?: string}[]};
  const outboxFiles = () => {
    try {
      return readdirSync(`${stateDirOf(world.sandbox.env)}/outbox`).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
  };

  describe('no entry blocks the others', () => {
    it('an entry Slack refuses for good is set aside with its fix; the ones behind it are delivered; retry and drop deal with it', async () => {
      const port = world.slack.port;
      await world.slack.stop();
      const first = await world.sandbox.run(['status', 'web']);
      const archived = await world.sandbox.run(['status', 'web', '--channel', '#old-ops']);
      const last = await world.sandbox.run(['status', 'web']);
      for (const run of [first, archived, last]) assert.equal(run.code, 0, run.stderr);
      const ids = world.sandbox.journal.entries().map((entry) => entry.id);

      world.slack = await new FakeSlack().start(port);
      const flushed = await world.sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 1, 'an entry remains (set aside)');
      assert.match(flushed.stdout, /Delivered 2 in 2 messages; 0 waiting, 1 set aside\./);
      assert.match(flushed.stderr, /Set aside 1 that Slack refused for good \(is_archived\)/);
      assert.deepEqual([...shownEntries(world.slack).keys()].sort(), [ids[0], ids[2]].sort());

      const listed = await outbox();
      assert.deepEqual(listed.entries, []);
      assert.deepEqual(listed.setAside.map((e) => [e.id, e.reason]), [[ids[1], 'is_archived']]);
      assert.match(listed.setAside[0].fix ?? '', /unarchive/i);
      const human = await world.sandbox.run(['outbox']);
      assert.match(human.stdout, /Set aside: Slack refused this entry for good[\s\S]*is_archived\s+The channel is archived/);

      // Later runs are not held up by it, and neither are later flushes.
      const later = await world.sandbox.run(['status', 'web']);
      assert.equal(later.code, 0);
      assertPostedOnly(later.stderr);
      assert.equal(shownEntries(world.slack).size, 3);

      const doctor = await world.sandbox.run(['doctor']);
      assert.equal(doctor.code, 1);
      assert.match(doctor.stdout, /✖ outbox\s+1 set aside: Slack refused it for good \(is_archived\)/);

      world.slack.channel('#old-ops')!.isArchived = false;
      const retried = await world.sandbox.run(['outbox', '--retry', ids[1].slice(0, 14)]);
      assert.equal(retried.code, 0, retried.stdout + retried.stderr);
      assert.equal(world.slack.posts('C0ARCHIVE3').length, 1);
      assert.deepEqual(await outbox(), {entries: [], setAside: []});
      const steps = world.sandbox.journal.records().filter((r) => r.kind === 'delivery' && r.id === ids[1]).map((r) => (r as {step: string}).step);
      assert.deepEqual(steps.filter((s) => ['undeliverable', 'retry', 'posted'].includes(s)), ['undeliverable', 'retry', 'posted']);
    });

    it('--drop removes a set-aside entry from the outbox and the journal keeps its record; unknown ids are usage errors', async () => {
      const run = await world.sandbox.run(['status', 'web', '--channel', '#old-ops']);
      assert.equal(run.code, 0);
      assert.match(run.stderr, /Slack refused the entry: is_archived\. The channel is archived.*set aside in the outbox/);
      const [entry] = world.sandbox.journal.entries();
      assert.equal((await outbox()).setAside.length, 1);

      const missing = await world.sandbox.run(['outbox', '--drop', 'nope']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /No entry "nope" in the outbox/);

      const dropped = await world.sandbox.run(['outbox', '--drop', entry.id]);
      assert.equal(dropped.code, 0, dropped.stderr);
      assert.deepEqual(await outbox(), {entries: [], setAside: []});
      const [kept] = world.sandbox.journal.entries();
      assert.equal(kept.id, entry.id);
      assert.equal(kept.delivery?.dropped, true);
      const log = JSON.parse((await world.sandbox.run(['log', '--local', '--json'])).stdout);
      assert.deepEqual(log.entries.map((e: {id: string}) => e.id), [entry.id]);
    });
  });

  describe('a backlog drains off the critical path', () => {
    it('after an outage, a run posts its own entry first, then a background flush delivers the backlog as digests, paced, each entry once', async () => {
      world.slack.rateLimitPerSecond = 1;
      const backlog = seedBacklog(stateDirOf(world.sandbox.env), 200);
      const run = await world.sandbox.run(['status', 'web']);
      assert.equal(run.code, 0, run.stderr);
      assertPostedOnly(run.stderr);
      const own = world.sandbox.journal.entries().at(-1)!;
      assert.equal(world.slack.posts()[0].metadata!.event_payload.id, own.id, "the run's own entry goes first");

      await waitFor(() => outboxFiles().length === 0, 'the background flush to drain the backlog', 60_000);
      const shown = shownEntries(world.slack);
      assert.deepEqual(duplicates(shown), []);
      assert.equal(shown.size, 201);
      const posts = world.slack.callsTo('chat.postMessage');
      assert.ok(posts.length <= 12, `${posts.length} messages for 201 entries`);
      assert.deepEqual(posts.filter((call) => call.status !== 200), [], 'never over the rate limit');

      // Read back one by one, newest first, never twice.
      const log = JSON.parse((await world.sandbox.run(['log', '--limit', '300', '--json'])).stdout);
      assert.equal(log.source, 'channel');
      assert.equal(log.entries.length, 201);
      assert.equal(new Set(log.entries.map((e: {id: string}) => e.id)).size, 201);
      assert.equal(log.entries[0].id, own.id);
      assert.equal(log.entries.at(-1).id, backlog[0].id);
    });

    it('outbox --flush reports its progress and delivers a backlog within its default timeout', async () => {
      world.slack.rateLimitPerSecond = 1;
      seedBacklog(stateDirOf(world.sandbox.env), 150);
      const flushed = await world.sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      assert.match(flushed.stdout, /^Delivered 150 in \d+ messages; 0 waiting\.$/m);
      assert.match(flushed.stderr, /… \d+ of 150 delivered in \d+ messages/);
      assert.equal(shownEntries(world.slack).size, 150);
    });

    it('a channel stricter than one post a second: the flush learns its pace from the 429s, a handful of them, and loses nothing', async () => {
      // Two seconds between posts, and an early retry counts against the window too.
      world.slack.rateLimitPerSecond = 1;
      world.slack.rateWindowMs = 2000;
      world.slack.rateCountsRefused = true;
      seedBacklog(stateDirOf(world.sandbox.env), 150);
      const flushed = await world.sandbox.run(['outbox', '--flush']);
      assert.equal(flushed.code, 0, flushed.stderr);
      const posts = world.slack.callsTo('chat.postMessage');
      const refused = posts.filter((call) => call.status === 429).length;
      assert.ok(refused <= 4, `${refused} answers of 429 for ${posts.length - refused} posts`);
      const shown = shownEntries(world.slack);
      assert.equal(shown.size, 150);
      assert.deepEqual(duplicates(shown), []);
    });

    it('Slack down: a run does not start a flush, and its entry waits with the rest', async () => {
      seedBacklog(stateDirOf(world.sandbox.env), 20);
      await world.slack.stop();
      const run = await world.sandbox.run(['status', 'web']);
      assert.equal(run.code, 0);
      assert.match(run.stderr, /waits in the outbox/);
      assert.equal(outboxFiles().length, 21);
    });
  });
});
