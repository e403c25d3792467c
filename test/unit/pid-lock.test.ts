import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {acquireLock, readHolder, tryLock} from '../../src/core/locks/pid-lock.js';
import {describeHolder} from '../../src/core/locks/service-lock.js';
import {collect} from '../support/cli.js';
import {tempDir} from '../support/temp.js';

const LOCK_MODULE = fileURLToPath(new URL('../../src/core/locks/pid-lock.ts', import.meta.url));

describe('pid lock', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('names its holder, refuses a second taker, and frees on release', () => {
    const file = join(dir.path, 'locks', 'web.lock');
    const first = tryLock(file, {what: 'deploy', entry: 'e1'});
    assert.ok(first.acquired);
    assert.deepEqual({pid: first.lock.holder.pid, what: first.lock.holder.what}, {pid: process.pid, what: 'deploy'});
    first.lock.release();
    assert.equal(readHolder(file), undefined);
  });

  it('a lock held by a dead process on this host is taken over; one held on another host is not', () => {
    const file = join(dir.path, 'x.lock');
    writeFileSync(file, JSON.stringify({pid: 2 ** 22 + 7, host: hostname(), user: 'ghost', since: new Date().toISOString()}));
    const taken = tryLock(file);
    assert.ok(taken.acquired);
    taken.lock.release();
    writeFileSync(file, JSON.stringify({pid: 2 ** 22 + 7, host: 'elsewhere', user: 'ghost', since: new Date().toISOString()}));
    const refused = tryLock(file);
    assert.equal(refused.acquired, false);
    assert.equal(refused.acquired === false && refused.holder?.host, 'elsewhere');
  });

  it('of 12 processes racing for a stale lock, exactly one gets it', async () => {
    const file = join(dir.path, 'race.lock');
    writeFileSync(file, JSON.stringify({pid: 2 ** 22 + 9, host: hostname(), user: 'ghost', since: new Date().toISOString()}));
    // Each racer says whether it got the lock, then holds on (alive, so its lock stays good) until told to go.
    const script = `import {tryLock} from ${JSON.stringify(LOCK_MODULE)}; const a = tryLock(${JSON.stringify(file)}); process.stdout.write(a.acquired ? 'got' : 'not'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    const racers = Array.from({length: 12}, () => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {stdio: ['pipe', 'pipe', 'pipe']}));
    const answers = racers.map((child) => new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk)))));
    const runs = racers.map((child) => collect(child));
    const said = await Promise.all(answers);
    for (const child of racers) child.stdin.end();
    await Promise.all(runs);
    assert.equal(said.filter((answer) => answer === 'got').length, 1, said.join(','));
  });

  it('waits for a lock to be released, and gives up at its deadline', async () => {
    const file = join(dir.path, 'w.lock');
    const held = tryLock(file);
    assert.ok(held.acquired);
    const gaveUp = await acquireLock(file, {waitMs: 150, pollMs: 20});
    assert.equal(gaveUp.acquired, false);
    setTimeout(() => held.lock.release(), 100);
    const got = await acquireLock(file, {waitMs: 5000, pollMs: 20});
    assert.ok(got.acquired);
  });

  it('describes the holder as people read it', () => {
    const since = new Date(2026, 10, 25, 14, 2);
    assert.equal(describeHolder('web', {pid: 123, host: 'host', user: 'alice', since: since.toISOString(), what: 'deploy'}, since), 'web is being deployed by alice@host (pid 123, since 14:02)');
    assert.equal(describeHolder('db', {pid: 9, host: 'h', user: 'bob', since: since.toISOString(), what: 'restart'}, new Date(2026, 10, 27)), 'db is being restarted by bob@h (pid 9, since 2026-11-25 14:02)');
  });
});
