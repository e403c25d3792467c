import assert from 'node:assert/strict';
import {Sandbox} from '../support/cli.js';
import {duplicates, shownEntries} from '../support/channel.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack} from '../support/slack-server.js';

const TOKEN = 'xoxb-test-token-0001';

/**
 * Many runs at once against one channel: whatever the interleaving of own deliveries, background flushes
 * and rate limits, every entry is shown exactly once. Fails on any duplicate.
 */
describe('exactly once with many writers', function () {
  this.timeout(300_000);
  let site: Running;
  let slack: FakeSlack;
  let sandbox: Sandbox;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(async () => {
    slack = await new FakeSlack().start();
    sandbox = new Sandbox(`version: 1\nchannel: "#ops"\nservices:\n  web:\n    status:\n      - http: ${site.url}\n`, {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_MIRROR_BUDGET: '2s'});
  });
  afterEach(async () => {
    await slack.stop();
    sandbox.remove();
  });

  /** Flushes until nothing waits (background flushers may hold the lock for a while). */
  async function drain(): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const flushed = await sandbox.run(['outbox', '--flush', '--json']);
      if (flushed.code === 0 && JSON.parse(flushed.stdout).remaining === 0) return;
    }
    assert.fail(`the outbox did not drain: ${(await sandbox.run(['outbox'])).stdout}`);
  }

  for (const [name, rate, rounds] of [
    ['an unthrottled channel', 0, 10],
    ['a channel limited to one message a second', 1, 3],
  ] as const) {
    it(`20 status runs at once, ${rounds} rounds, ${name}: every entry shown exactly once`, async () => {
      slack.rateLimitPerSecond = rate;
      for (let round = 0; round < rounds; round++) {
        const runs = await Promise.all(Array.from({length: 20}, () => sandbox.run(['status', 'web'])));
        for (const run of runs) assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(duplicates(shownEntries(slack)), [], `duplicates after round ${round + 1}`);
      }
      await drain();
      const shown = shownEntries(slack);
      assert.deepEqual(duplicates(shown), []);
      const recorded = sandbox.journal.entries().map((entry) => entry.id);
      assert.equal(recorded.length, 20 * rounds);
      assert.deepEqual([...shown.keys()].sort(), recorded.sort(), 'every entry reached the channel');
    });
  }
});
