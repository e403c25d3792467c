import assert from 'node:assert/strict';
import {duplicates, shownEntries} from '../support/channel.js';
import {slackWorld} from '../support/world.js';


/**
 * Many runs at once against one channel: whatever the interleaving of own deliveries, background flushes
 * and rate limits, every entry is shown exactly once. Fails on any duplicate.
 */
describe('exactly once with many writers', function () {
  this.timeout(300_000);
  const world = slackWorld({catalog: (url) => `version: 1\nchannel: "#ops"\nservices:\n  web:\n    status:\n      - http: ${url}\n`});

  /** Flushes until nothing waits (background flushers may hold the lock for a while). */
  async function drain(): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const flushed = await world.sandbox.run(['outbox', '--flush', '--json']);
      if (flushed.code === 0 && JSON.parse(flushed.stdout).remaining === 0) return;
    }
    assert.fail(`the outbox did not drain: ${(await world.sandbox.run(['outbox'])).stdout}`);
  }

  for (const [name, rate, rounds] of [
    ['an unthrottled channel', 0, 10],
    ['a channel limited to one message a second', 1, 3],
  ] as const) {
    it(`20 status runs at once, ${rounds} rounds, ${name}: every entry shown exactly once`, async () => {
      world.slack.rateLimitPerSecond = rate;
      for (let round = 0; round < rounds; round++) {
        const runs = await Promise.all(Array.from({length: 20}, () => world.sandbox.run(['status', 'web'])));
        for (const run of runs) assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(duplicates(shownEntries(world.slack)), [], `duplicates after round ${round + 1}`);
      }
      await drain();
      const shown = shownEntries(world.slack);
      assert.deepEqual(duplicates(shown), []);
      const recorded = world.sandbox.journal.entries().map((entry) => entry.id);
      assert.equal(recorded.length, 20 * rounds);
      assert.deepEqual([...shown.keys()].sort(), recorded.sort(), 'every entry reached the channel');
    });
  }
});
