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
