// npm test: builds, then runs the whole suite (files in parallel workers), and ends with its wall time and how
// many foggy processes it started, so that both stay in sight. Arguments go to mocha
// (npm test -- test/unit/journal.test.ts).
import {spawnSync} from 'node:child_process';
import {ensureChromium} from './chromium.js';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const started = performance.now();
ensureChromium();
const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)}s`;
const build = spawnSync('npm', ['run', '--silent', 'build'], {stdio: 'inherit'});
if (build.status !== 0) process.exit(build.status ?? 1);
const built = performance.now();

const dir = mkdtempSync(join(tmpdir(), 'foggy-test-run-'));
const log = join(dir, 'processes');
// Writable by every test's process, those that run as another user included.
writeFileSync(log, '', {mode: 0o666});
chmodSync(log, 0o666);
chmodSync(dir, 0o777);
const mocha = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const result = spawnSync(process.execPath, [mocha, ...process.argv.slice(2)], {stdio: 'inherit', env: {...process.env, FOGGY_TEST_PROCESS_LOG: log}});
const processes = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
rmSync(dir, {recursive: true, force: true});
console.error(`\nnpm test: ${seconds(started)} of wall time (build ${((built - started) / 1000).toFixed(1)}s, tests ${seconds(built)}); ${processes} foggy processes started`);
process.exit(result.status ?? 1);
