import assert from 'node:assert/strict';
import {pacer, POST_INTERVAL_MS} from '../../src/core/mirror/pacer.js';

/** The flush's pacer against a clock of its own: when each post may go, per channel, and what a 429 teaches it. */
describe('pacing posts per channel', () => {
  let now = 0;
  let realNow: () => number;
  beforeEach(() => {
    now = 1_000_000;
    realNow = Date.now;
    Date.now = () => now;
  });
  afterEach(() => {
    Date.now = realNow;
  });
  const sleep = async (ms: number) => {
    now += ms;
  };

  it('one post a second per channel, channels apart', async () => {
    const pace = pacer(sleep, () => Number.POSITIVE_INFINITY);
    const times: [string, number][] = [];
    for (const channel of ['#a', '#a', '#b', '#a', '#b']) {
      await pace(channel);
      times.push([channel, now - 1_000_000]);
    }
    assert.deepEqual(times, [
      ['#a', 0],
      ['#a', POST_INTERVAL_MS],
      ['#b', POST_INTERVAL_MS],
      ['#a', 2 * POST_INTERVAL_MS],
      ['#b', 2 * POST_INTERVAL_MS],
    ]);
  });

  it('a 429 puts the next post after its Retry-After and slows the channel; ten good posts speed it up again, never past one a second', async () => {
    const pace = pacer(sleep, () => Number.POSITIVE_INFINITY);
    await pace('#a');
    pace.rateLimited('#a', 3000);
    const before = now;
    await pace('#a');
    assert.ok(now - before >= 3000, `${now - before} ms after a Retry-After of 3 s`);
    const gaps: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = now;
      await pace('#a');
      pace.posted('#a');
      gaps.push(now - at);
    }
    assert.ok(gaps[0] >= 3000, `the interval learnt: ${gaps[0]}`);
    assert.ok(gaps.at(-1)! < gaps[0], 'and unlearnt slowly');
    assert.ok(Math.min(...gaps) >= POST_INTERVAL_MS);
  });

  it('a post answered late: the next one waits an interval from the answer, so the two reach Slack an interval apart', async () => {
    const pace = pacer(sleep, () => Number.POSITIVE_INFINITY);
    await pace('#a');
    // The post took 400 ms to reach Slack and be answered.
    now += 400;
    pace.posted('#a');
    const answered = now;
    await pace('#a');
    assert.equal(now - answered, POST_INTERVAL_MS);
  });

  it('a wait past the deadline is not waited: the entry stays in the outbox', async () => {
    const pace = pacer(sleep, () => now + 500);
    await pace('#a');
    await assert.rejects(pace('#a'), /out of time/);
  });

  it('paced from its start: a flush started by a run that just posted waits its turn', async () => {
    const pace = pacer(sleep, () => Number.POSITIVE_INFINITY, now);
    await pace('#a');
    assert.equal(now - 1_000_000, POST_INTERVAL_MS);
  });
});
