import assert from 'node:assert/strict';
import {DatabaseUnreachable, openDatabase, type Database} from '../../src/core/coordination/database.js';
import {holdLease} from '../../src/core/coordination/held-lease.js';
import {MIGRATIONS} from '../../src/core/coordination/migrations.js';
import {currentHolder, enqueue, leaseHolder, release, renew, tryAcquire} from '../../src/core/coordination/leases.js';
import {coordinationOf, shownUrl} from '../../src/core/coordination/settings.js';
import {PASSWORD, testPostgres, usePostgres} from '../support/postgres.js';
import {closedPort} from '../support/servers.js';
import {waitFor} from '../support/cli.js';

/** Leases against a real PostgreSQL, started by the suite (test/support/postgres.ts). */

// The suite's own PostgreSQL, for this file's tests (started once, stopped after them).
usePostgres();

describe('coordination: leases in PostgreSQL', function () {
  this.timeout(60_000);
  let url: string;
  const opened: Database[] = [];
  const open = async () => {
    const db = await openDatabase({url, shown: shownUrl(new URL(url))});
    opened.push(db);
    return db;
  };
  const holder = (what: string) => leaseHolder({what, entry: `entry-${what}`, frontEnd: 'terminal'});
  /** The database's clock has passed `moment` (its own now(), which leases expire by). */
  const past = async (db: Database, moment: Date) => (await db.query<{past: boolean}>('select now() > $1 as past', [moment]))[0].past;
  const expiry = async (db: Database, name: string) => (await db.query<{expires_at: Date}>('select expires_at from foggy.leases where name = $1', [name]))[0].expires_at;

  before(async function () {
    this.timeout(120_000);
    url = await (await testPostgres()).database();
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  it('creates its schema on first use, once, however many processes start at the same moment', async () => {
    const fresh = await (await testPostgres()).database();
    const dbs = await Promise.all(Array.from({length: 8}, () => openDatabase({url: fresh, shown: 'test'})));
    const [row] = await dbs[0].query<{count: string; version: number}>('select count(*) as count, max(version) as version from foggy.schema_migrations');
    assert.deepEqual([Number(row.count), row.version], [MIGRATIONS.length, MIGRATIONS.length]);
    for (const db of dbs) await db.close();
  });

  it('one holder at a time; the refusal names the holder; each later grant a larger fencing token', async () => {
    const db = await open();
    const first = await tryAcquire(db, {name: 'service:web', owner: 'a', holder: holder('deploy'), ttlMs: 60_000});
    assert.equal(first.acquired, true);
    const second = await tryAcquire(db, {name: 'service:web', owner: 'b', holder: holder('restart'), ttlMs: 60_000});
    assert.equal(second.acquired, false);
    assert.equal((second as {holder: {what: string; entry: string}}).holder.what, 'deploy');
    assert.equal((second as {holder: {entry: string}}).holder.entry, 'entry-deploy');
    await release(db, {name: 'service:web', owner: 'a', token: (first as {token: number}).token});
    const third = await tryAcquire(db, {name: 'service:web', owner: 'b', holder: holder('restart'), ttlMs: 60_000});
    assert.ok(third.acquired && first.acquired && third.token > first.token, 'a later grant, a larger token');
  });

  it('expiry is on the database\'s clock: a holder that stops renewing loses it, and its renewal is refused after', async () => {
    const db = await open();
    const first = await tryAcquire(db, {name: 'service:api', owner: 'a', holder: holder('deploy'), ttlMs: 300});
    assert.ok(first.acquired);
    const expires = await expiry(db, 'service:api');
    await waitFor(() => past(db, expires), 'the lease to lapse by the database\'s clock');
    const second = await tryAcquire(db, {name: 'service:api', owner: 'b', holder: holder('deploy'), ttlMs: 60_000});
    assert.ok(second.acquired && second.token > first.token);
    assert.equal(await renew(db, {name: 'service:api', owner: 'a', token: first.token, ttlMs: 60_000}), false);
  });

  it('those waiting are served in arrival order', async () => {
    const db = await open();
    const held = await tryAcquire(db, {name: 'service:queue', owner: 'holder', holder: holder('deploy'), ttlMs: 60_000});
    assert.ok(held.acquired);
    const tickets: Record<string, number> = {};
    for (const owner of ['first', 'second', 'third']) tickets[owner] = await enqueue(db, {name: 'service:queue', owner, holder: holder(owner), ttlMs: 60_000});
    await release(db, {name: 'service:queue', owner: 'holder', token: held.token});
    // The third asks first, then the second: neither may jump the line.
    assert.equal((await tryAcquire(db, {name: 'service:queue', owner: 'third', holder: holder('third'), ttlMs: 60_000, ticket: tickets.third})).acquired, false);
    assert.equal((await tryAcquire(db, {name: 'service:queue', owner: 'second', holder: holder('second'), ttlMs: 60_000, ticket: tickets.second})).acquired, false);
    assert.equal((await currentHolder(db, 'service:queue')).holder?.what, 'first', 'between holders, the first in line is named');
    assert.equal((await tryAcquire(db, {name: 'service:queue', owner: 'first', holder: holder('first'), ttlMs: 60_000, ticket: tickets.first})).acquired, true);
  });

  it('a held lease is renewed while held, and released at its end', async () => {
    const db = await open();
    const attempt = await holdLease({target: {url, shown: 'test'}, db, name: 'service:renewed', holder: holder('deploy'), ttlMs: 1000, waitMs: 0});
    assert.ok(attempt.acquired);
    const other = await open();
    const granted = await expiry(other, 'service:renewed');
    await waitFor(() => past(other, granted), 'the first grant\'s TTL to pass');
    assert.equal((await tryAcquire(other, {name: 'service:renewed', owner: 'other', holder: holder('x'), ttlMs: 1000})).acquired, false, 'still held past its TTL: renewed');
    assert.equal(attempt.lease.lost, undefined);
    await attempt.lease.release();
    assert.equal((await tryAcquire(other, {name: 'service:renewed', owner: 'other', holder: holder('x'), ttlMs: 1000})).acquired, true);
  });

  it('a lease row edited by hand: a holder of another shape is not trusted, and the one whose token changed loses it', async () => {
    const db = await open();
    const lost: string[] = [];
    const attempt = await holdLease({target: {url, shown: 'test'}, db, name: 'service:edited', holder: holder('deploy'), ttlMs: 900, waitMs: 0, onLost: (why) => lost.push(why)});
    assert.ok(attempt.acquired);
    const admin = await open();
    await admin.query(`update foggy.leases set holder = '"garbage"'::jsonb, token = token + 1000 where name = 'service:edited'`);
    const refused = await tryAcquire(admin, {name: 'service:edited', owner: 'other', holder: holder('x'), ttlMs: 900});
    assert.deepEqual([refused.acquired, (refused as {holder?: unknown}).holder], [false, undefined]);
    await waitFor(() => attempt.lease.lost !== undefined, 'the holder to find out at its next renewal');
    assert.match(attempt.lease.lost ?? '', /another holder has it now/);
    assert.equal(lost.length, 1);
    await attempt.lease.release();
  });

  it('an unreachable database: one line, within a bounded time, no password anywhere in it', async () => {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(openDatabase({url: `postgres://foggy:${PASSWORD}@127.0.0.1:${port}/foggy`, shown: `postgres://foggy:***@127.0.0.1:${port}/foggy`}), (error: Error) => {
      assert.ok(error instanceof DatabaseUnreachable);
      assert.match(error.message, /^Cannot reach the coordination database postgres:\/\/foggy:\*\*\*@127\.0\.0\.1:\d+\/foggy: connection refused$/);
      return true;
    });
    assert.ok(Date.now() - started < 30_000);
    const wrong = url.replace(PASSWORD, 'not-the-password');
    await assert.rejects(openDatabase({url: wrong, shown: shownUrl(new URL(wrong))}), (error: Error) => {
      assert.match(error.message, /password authentication failed/);
      assert.doesNotMatch(error.message, /not-the-password/);
      return true;
    });
  });

  it('connections exhausted (the server, or the role, at its limit): one line saying so', async () => {
    const admin = await open();
    await admin.query(`do $$ begin if not exists (select from pg_roles where rolname = 'limited') then create role limited login password '${PASSWORD}' connection limit 1; end if; end $$`);
    const base = new URL(url);
    const limited = `postgres://limited:${PASSWORD}@${base.host}${base.pathname}`;
    await admin.query(`grant all on schema foggy to limited; grant all on all tables in schema foggy to limited; grant all on all sequences in schema foggy to limited`);
    const first = await openDatabase({url: limited, shown: 'limited'});
    opened.push(first);
    await assert.rejects(openDatabase({url: limited, shown: 'postgres://limited:***@…'}), (error: Error) => {
      assert.match(error.message, /^Cannot reach the coordination database postgres:\/\/limited:\*\*\*@…: too many connections/);
      return true;
    });
  });

  it('the URL: from the environment or foggy.yml (the environment wins), shown without its password; a TTL from either', () => {
    const catalog = {coordination: {postgres: '${TEAM_DB}', fallback: 'local' as const, ttlMs: 30_000}};
    assert.deepEqual(coordinationOf({}, undefined), {kind: 'local'});
    assert.deepEqual(coordinationOf({TEAM_DB: 'postgres://u:p%40ss@db/x'}, catalog), {kind: 'postgres', url: 'postgres://u:p%40ss@db/x', shown: 'postgres://u:***@db/x', ttlMs: 30_000, fallback: 'local'});
    assert.equal((coordinationOf({FOGGY_DATABASE_URL: 'postgresql://a:b@h/y', TEAM_DB: 'postgres://u:p@db/x', FOGGY_LOCK_TTL: '10s'}, catalog) as {url: string; ttlMs: number}).ttlMs, 10_000);
    assert.throws(() => coordinationOf({}, catalog), /coordination\.postgres in foggy\.yml: \$\{TEAM_DB\} is not set/);
    assert.deepEqual(coordinationOf({}, {coordination: {postgres: '${TEAM_DB:-}', fallback: 'refuse'}}), {kind: 'local'});
    assert.throws(() => coordinationOf({FOGGY_DATABASE_URL: 'mysql://x@y/z'}, undefined), /must be postgres:\/\/ or postgresql:\/\//);
    assert.throws(() => coordinationOf({FOGGY_DATABASE_URL: 'postgres://x@y/z', FOGGY_LOCK_TTL: '10ms'}, undefined), /FOGGY_LOCK_TTL: expected a duration from 1\.0s/);
  });
});
