// The walk-through: status (database down) → restart db → status (all up) → deploy web → log.
// It runs the real foggy CLI against real loopback servers, and leaves no process behind.
import {spawnSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {dbPidFile, exampleDir, sitePidFile, stateDir} from './state.js';
import {portOpen, startDetached, stop, waitForPort} from './processes.js';

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

for (const port of [18080, 15433]) {
  if (await portOpen(port)) {
    console.error(`Port ${port} is already in use; stop whatever listens there and run the demo again.`);
    process.exit(1);
  }
}

rmSync(join(stateDir, 'font'), {force: true});
startDetached('site.js', sitePidFile);
let failed = false;
try {
  if (!(await waitForPort(18080))) throw new Error('the web site did not start');
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
  await waitForPort(18080, false);
  await waitForPort(15433, false);
}
if (failed) process.exit(1);
console.log('\nDone: the site and the database are stopped again. The walk-through journal is in examples/hello-world/.state/xdg/foggy/.');
