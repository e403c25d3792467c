// Part of npm run bench:watch: the watcher in-process (the same use case the command calls), services going up
// and down every 40 rounds, incidents journaled (and posted, when SLACK_API_URL names a Slack imitation running in
// another process); prints the heap in use after a full GC every 1,000 rounds, as JSON lines. Run with
// node --expose-gc. RSS (bench/watch.ts) shows what the system sees; this shows what is kept.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createFoggy} from '../src/core/app/foggy.js';
import {silentIo} from '../src/core/app/io.js';

const rounds = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as {gc?: () => void}).gc;
if (!gc) throw new Error('run with node --expose-gc');
let requests = 0;
const server = createServer((_, response) => {
  requests++;
  response.statusCode = Math.floor(requests / 80) % 2 === 1 ? 503 : 200;
  response.end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const dir = mkdtempSync(join(tmpdir(), 'foggy-bench-heap-'));
writeFileSync(join(dir, 'foggy.yml'), `version: 1\nchannel: "#ops"\nwatch: {remind: 0, flapping: {changes: 1000}}\nservices:\n  web:\n    status:\n      - http: ${url}\n  api:\n    status:\n      - http: ${url}api\n`);
const slack = process.env.SLACK_API_URL ? {FOGGY_SLACK_API_URL: process.env.SLACK_API_URL, FOGGY_SLACK_TOKEN: process.env.SLACK_TOKEN, FOGGY_BACKGROUND_FLUSH: '0'} : {};
const env = {HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config'), FOGGY_CONFIG: join(dir, 'foggy.yml'), FOGGY_NO_CONNECT_HINT: '1', ...slack};
let changes = 0;
await createFoggy({env, io: silentIo}).watch(
  {
    services: [],
    intervalMs: 1,
    commandLine: 'foggy watch',
    maxRounds: rounds,
    onRound: (round) => {
      if (round % 1000 !== 0) return;
      gc();
      process.stdout.write(JSON.stringify({round, heapMb: process.memoryUsage().heapUsed / 1024 / 1024, changes}) + '\n');
    },
  },
  () => changes++,
);
server.close();
