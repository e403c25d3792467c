// The walk-through: status (database down) → restart db → status (all up) → deploy web → log.
// It runs the real foggy CLI against real loopback servers, and leaves no process behind.
import {spawnSync} from 'node:child_process';
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

function run(...args) {
  process.stdout.write(`\n${bold}$ foggy ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}${plain}\n`);
  const result = spawnSync(process.execPath, [foggy, ...args], {cwd: exampleDir, env, stdio: 'inherit'});
  process.stdout.write(`${dim}(exit ${result.status})${plain}\n`);
  return result.status;
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
try {
  if (!(await waitForPort(sitePort))) throw new Error('the web site did not start');
  const steps = [
    [['status'], 1],
    [['restart', 'db', '--reason', 'database is down'], 0],
    [['status'], 0],
    [['deploy', 'web', '--ref', 'Comic Neue', '--yes', '--reason', 'friendlier font'], 0],
    [['log', '--limit', '5'], 0],
  ];
  for (const [args, expected] of steps) {
    const code = run(...args);
    if (code !== expected) {
      console.error(`\nUnexpected exit ${code} from "foggy ${args.join(' ')}" (expected ${expected}).`);
      failed = true;
      break;
    }
  }
} finally {
  stop(sitePidFile);
  stop(dbPidFile);
  await waitForPort(sitePort, false);
  await waitForPort(dbPort, false);
}
if (failed) process.exit(1);
console.log(`\nDone: the site and the database are stopped again. The walk-through journal is in ${join(stateDir, 'xdg', 'foggy')}/.`);
