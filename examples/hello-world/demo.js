// The walk-through: a watcher raises the alert (database down) → status → restart db → the watcher's
// incident turns green → status (all up) → deploy web → log → report (how the team delivers and recovers). It runs the real foggy CLI against real
// loopback servers, and leaves no process behind.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, portOpen, startDetached, stop, waitForPort} from './processes.js';

// The usual ports, unless something listens there already (another walk-through, say): then free ones, and a
// state directory of this run's own. The servers, the restart script and foggy.yml's checks all read them.
const ports = {HELLO_SITE_PORT: 18080, HELLO_DB_PORT: 15433};
let separate = false;
for (const name of Object.keys(ports)) {
  if (process.env[name]) ports[name] = Number(process.env[name]);
  else if (await portOpen(ports[name])) {
    ports[name] = await freePort();
    separate = true;
  }
}
process.env.HELLO_SITE_PORT = String(ports.HELLO_SITE_PORT);
process.env.HELLO_DB_PORT = String(ports.HELLO_DB_PORT);
if (separate && !process.env.HELLO_STATE_DIR) process.env.HELLO_STATE_DIR = mkdtempSync(join(tmpdir(), 'foggy-hello-'));
const {dbPidFile, exampleDir, sitePidFile, stateDir, sitePort, dbPort} = await import('./state.js');

const foggy = join(exampleDir, '..', '..', 'bin', 'run.js');
// The example keeps its own journal and cache, so the walk-through never mixes with your real entries.
const env = {...process.env, XDG_STATE_HOME: join(stateDir, 'xdg'), XDG_CACHE_HOME: join(stateDir, 'cache')};
delete env.FOGGY_CONFIG;

const fancy = process.stdout.isTTY && !process.env.NO_COLOR;
const [bold, dim, plain] = fancy ? ['\x1b[1m', '\x1b[2m', '\x1b[0m'] : ['', '', ''];

const shown = (args) => args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');

async function run(...args) {
  process.stdout.write(`\n${bold}$ foggy ${shown(args)}${plain}\n`);
  const child = spawn(process.execPath, [foggy, ...args], {cwd: exampleDir, env, stdio: 'inherit'});
  const status = await new Promise((resolve) => child.on('close', resolve));
  process.stdout.write(`${dim}(exit ${status})${plain}\n`);
  return status;
}

/** foggy watch in the background: its lines are shown as they come, marked, and can be waited for. */
function startWatcher(...args) {
  process.stdout.write(`\n${bold}$ foggy ${shown(args)} &${plain}   ${dim}(in the background: its lines are marked "watch │")${plain}\n`);
  const child = spawn(process.execPath, [foggy, ...args], {cwd: exampleDir, env, stdio: ['ignore', 'pipe', 'inherit']});
  const lines = [];
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    const complete = buffer.split('\n');
    buffer = complete.pop();
    for (const line of complete) {
      lines.push(line);
      process.stdout.write(`${dim}  watch │${plain} ${line}\n`);
    }
  });
  const closed = new Promise((resolve) => child.on('close', resolve));
  return {
    async until(pattern, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (!lines.some((line) => pattern.test(line))) {
        if (Date.now() > deadline) throw new Error(`the watcher never printed ${pattern}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const status = await closed;
      process.stdout.write(`${dim}(watcher stopped: exit ${status})${plain}\n`);
      return status;
    },
  };
}

for (const port of [sitePort, dbPort]) {
  if (await portOpen(port)) {
    console.error(`Port ${port} is already in use; stop whatever listens there, or choose another with HELLO_SITE_PORT / HELLO_DB_PORT.`);
    process.exit(1);
  }
}

rmSync(join(stateDir, 'font'), {force: true});
startDetached('site.js', sitePidFile);
let failed = false;
let watcher;
const expect = async (args, expected) => {
  const code = await run(...args);
  if (code !== expected) throw new Error(`Unexpected exit ${code} from "foggy ${args.join(' ')}" (expected ${expected}).`);
};
try {
  if (!(await waitForPort(sitePort))) throw new Error('the web site did not start');
  // The database is down from the start: the watcher declares it down after 3 failed rounds, and web,
  // which depends on it, raises no alert of its own.
  watcher = startWatcher('watch', '--interval', '250ms');
  await watcher.until(/ db down /);
  await expect(['status'], 1);
  await expect(['restart', 'db', '--reason', 'database is down'], 0);
  await watcher.until(/ db up again after /);
  await expect(['status'], 0);
  await expect(['deploy', 'web', '--ref', 'Comic Neue', '--yes', '--reason', 'friendlier font'], 0);
  if ((await watcher.stop()) !== 0) throw new Error('the watcher did not stop cleanly');
  watcher = undefined;
  await expect(['log', '--limit', '6'], 0);
  await expect(['report', '--since', '1d'], 0);
} catch (error) {
  console.error(`\n${error.message}`);
  failed = true;
} finally {
  await watcher?.stop();
  stop(sitePidFile);
  stop(dbPidFile);
  await waitForPort(sitePort, false);
  await waitForPort(dbPort, false);
}
if (failed) process.exit(1);
console.log(`\nDone: the site and the database are stopped again. The walk-through journal is in ${join(stateDir, 'xdg', 'foggy')}/.`);
