import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {FOGGY, collect, Sandbox} from '../support/cli.js';

/**
 * What a command loads, by source file: what a command does not need stays out of its startup (the chat front
 * end and Bolt, PostgreSQL's client, the report, the core for `--version`). Bundled chunks are read back to their
 * sources through their source maps.
 */
describe('startup: each command loads what it needs', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox('version: 1\nservices:\n  web:\n    status:\n      - tcp: 127.0.0.1:1\n');
  });
  afterEach(() => sandbox.dir.remove());

  async function sourcesLoadedBy(args: string[]): Promise<string[]> {
    const hook = join(sandbox.dir.path, 'record-loads.mjs');
    const loaded = join(sandbox.dir.path, 'loaded.txt');
    writeFileSync(hook, `import {registerHooks} from 'node:module'; import {appendFileSync} from 'node:fs';\nregisterHooks({load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }});\n`);
    writeFileSync(loaded, '');
    const result = await collect(spawn(process.execPath, ['--import', hook, FOGGY, ...args], {cwd: sandbox.dir.path, env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe']}));
    assert.doesNotMatch(result.stderr, /internal error/, result.stderr);
    const sources = new Set<string>();
    for (const url of readFileSync(loaded, 'utf8').split('\n').filter((line) => line.startsWith('file:'))) {
      const path = fileURLToPath(url);
      const map = `${path}.map`;
      if (path.includes('/dist/') && existsSync(map)) {
        for (const source of (JSON.parse(readFileSync(map, 'utf8')) as {sources: string[]}).sources) sources.add(source.replace(/^(?:\.\.\/)+/, ''));
      } else {
        sources.add(path.replace(/^.*\/node_modules\//, 'node_modules/'));
      }
    }
    return [...sources];
  }

  const cases: [string[], string[], string[]][] = [
    [['--version'], ['src/cli/main.ts'], ['src/core/app/', 'src/core/mask/', 'src/core/catalog/', 'node_modules/ci-info/', 'node_modules/@slack/', 'node_modules/yaml/']],
    [['status', 'web'], ['src/core/app/status.ts', 'src/core/mask/masker.ts'], ['src/chat/', 'node_modules/@slack/bolt/', 'node_modules/@slack/socket-mode/', 'node_modules/pg/', 'src/core/coordination/database.ts', 'src/core/report/']],
    [['log'], ['src/core/app/log.ts'], ['src/chat/', 'node_modules/@slack/bolt/', 'node_modules/pg/', 'src/core/report/']],
  ];
  for (const [args, needed, notNeeded] of cases) {
    it(`foggy ${args.join(' ')}: ${notNeeded.join(', ')} left out`, async () => {
      const sources = await sourcesLoadedBy(args);
      for (const source of needed) assert.ok(sources.includes(source), `${source} is loaded (the loads are seen)`);
      assert.deepEqual(
        sources.filter((source) => notNeeded.some((prefix) => source.startsWith(prefix))),
        [],
      );
    });
  }
});

/**
 * The verbs scripts run in loops go a lighter way (their command with a configuration from package.json, no
 * plugin loading): what a shell sees must be the same as through oclif's whole way.
 */
describe('startup: the verbs\' lighter path behaves as the whole way', function () {
  this.timeout(30_000);
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox('version: 1\nservices:\n  web:\n    status:\n      - tcp: 127.0.0.1:1\n    deploy:\n      run: ["true"]\n');
  });
  afterEach(() => sandbox.dir.remove());

  const cases: [string[], number, RegExp, RegExp | undefined][] = [
    [['status', 'web'], 1, /web .*connection refused/, undefined],
    [['status', 'web', '--json'], 1, /"outcome": "failed"/, undefined],
    [['status', 'nope'], 2, /^$/, /Unknown service "nope"/],
    [['status', 'web', '--nope'], 2, /^$/, /Nonexistent flag: --nope[\s\S]*See "foggy status --help"/],
    [['status', 'web', '--nope', '--json'], 2, /"exitCode": 2/, /Nonexistent flag/],
    [['deploy', 'web'], 0, /^$/, /deploy web succeeded/],
    [['deploy'], 2, /^$/, /Missing 1 required arg: service \(Service to deploy\)\n/],
    [['rollback', 'web'], 2, /^$/, /No earlier good deploy of web/],
    // Help and the version are oclif's own: the whole way.
    [['status', '--help'], 0, /Check whether services are up[\s\S]*USAGE/, undefined],
    [['deploy', 'web', '-h'], 0, /USAGE[\s\S]*deploy SERVICE/, undefined],
    [['status', '--', '--help'], 2, /^$/, /Unknown service "--help"/],
  ];
  it('exit codes, stdout and stderr as a shell sees them, for the verbs and their help', async () => {
    for (const [args, code, stdout, stderr] of cases) {
      const result = await sandbox.runProcess(args);
      assert.equal(result.code, code, `foggy ${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout.trim(), stdout, `foggy ${args.join(' ')} stdout`);
      if (stderr) assert.match(result.stderr, stderr, `foggy ${args.join(' ')} stderr`);
    }
  });
});
