import assert from 'node:assert/strict';
import {setTimeout as sleep} from 'node:timers/promises';
import {Deadline} from '../../src/core/checks/deadline.js';

/** Resolves when the deadline aborts, with the time it did. */
const aborted = (deadline: Deadline) => new Promise<number>((resolve) => deadline.onAbort(() => resolve(performance.now())));

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('check deadlines', () => {
  it('time out in the order they began, each no sooner than its own time', async () => {
    const fired: string[] = [];
    const started = performance.now();
    const first = new Deadline(60);
    await sleep(20);
    const second = new Deadline(60);
    const [a, b] = await Promise.all([aborted(first).then((at) => (fired.push('first'), at)), aborted(second).then((at) => (fired.push('second'), at))]);
    assert.deepEqual(fired, ['first', 'second']);
    assert.ok(a - started >= 59, `first fired after ${a - started} ms`);
    assert.ok(b - started >= 79, `second fired after ${b - started} ms`);
    assert.ok(first.timedOut && second.timedOut);
    assert.equal((first.reason as Error).name, 'TimeoutError');
  });

  it('shorter deadlines fire first, whatever order they began in', async () => {
    const fired: number[] = [];
    const long = new Deadline(120);
    const short = new Deadline(30);
    long.onAbort(() => fired.push(120));
    short.onAbort(() => fired.push(30));
    await aborted(long);
    assert.deepEqual(fired, [30, 120]);
  });

  it('a deadline that is done never fires, and the one after it still does', async () => {
    const done = new Deadline(30);
    const later = new Deadline(30);
    let calls = 0;
    done.onAbort(() => calls++);
    done.done();
    await aborted(later);
    await sleep(40);
    assert.equal(calls, 0);
    assert.equal(done.aborted, false);
    assert.equal(later.timedOut, true);
  });

  it('holds no timer once every deadline is done, so the process can exit', () => {
    const before = timers();
    const deadlines = Array.from({length: 1000}, (_, index) => new Deadline(10_000 + (index % 3)));
    assert.equal(timers(), before + 3);
    for (const deadline of deadlines) deadline.done();
    assert.equal(timers(), before);
  });

  it("aborts with the caller's signal, not as a timeout, and stops listening when done", async () => {
    const controller = new AbortController();
    const deadlines = [new Deadline(10_000, controller.signal), new Deadline(10_000, controller.signal)];
    let calls = 0;
    const stop = deadlines[1].onAbort(() => calls++);
    stop();
    controller.abort(new Error('stopped'));
    assert.ok(deadlines.every((deadline) => deadline.aborted && !deadline.timedOut));
    assert.equal((deadlines[0].reason as Error).message, 'stopped');
    assert.equal(calls, 0);
    // Aborted already: a new deadline starts aborted, and a listener hears it at once.
    const late = new Deadline(10_000, controller.signal);
    let heard = false;
    late.onAbort(() => (heard = true));
    assert.ok(late.aborted && heard);
    for (const deadline of [...deadlines, late]) deadline.done();
  });

  it('calls every listener once, and gives Node APIs a signal on demand', async () => {
    const deadline = new Deadline(20);
    const heard: string[] = [];
    deadline.onAbort(() => heard.push('one'));
    deadline.onAbort(() => heard.push('two'));
    const stopThree = deadline.onAbort(() => heard.push('three'));
    stopThree();
    const {signal} = deadline;
    await aborted(deadline);
    assert.deepEqual(heard, ['one', 'two']);
    assert.ok(signal.aborted);
    assert.equal((signal.reason as Error).name, 'TimeoutError');
  });

  it('schedules a deadline begun by a listener while others expire', async () => {
    const first = new Deadline(20);
    const next = new Promise<Deadline>((resolve) => first.onAbort(() => resolve(new Deadline(20))));
    const second = await next;
    await aborted(second);
    assert.ok(second.timedOut);
  });
});
