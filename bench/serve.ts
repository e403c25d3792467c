// npm run bench:serve: foggy serve under load, as a process against the loopback Slack (Web API and Socket
// Mode). Side by side in the same run: a bare Bolt app that only acknowledges (the floor for acks), and one
// that posts a message per command (the floor for memory). Measures the time from an envelope sent to its ack
// with 20 commands at once, the resident memory over many commands, and which modules a CLI command loads
// (Bolt stays foggy serve's alone). Writes its section of BENCHMARKS.md.
import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {cpus} from 'node:os';
import {join} from 'node:path';
import {APP_TOKEN, FakeSlack} from '../test/support/slack-server.js';
import {TOKEN} from '../test/support/world.js';
import {writeSection} from './report.js';
import {rssMb} from './rss.js';
import {benchSetup} from './setup.js';

const setup = benchSetup({runs: 1, warmups: 0, scratchPrefix: 'foggy-bench-serve-'});
const AT_ONCE = 20;
const BURSTS = Number(process.env.BENCH_SERVE_BURSTS ?? 30);
const COMMANDS = Number(process.env.BENCH_SERVE_COMMANDS ?? 10_000);
const SAMPLES_AT = [1000, 2500, 5000, 7500, COMMANDS].filter((count, index, all) => count <= COMMANDS && all.indexOf(count) === index);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

const site = createServer((_, response) => response.end('Hello World'));
await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
const siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
const slack = await new FakeSlack().start();
const home = join(setup.scratch, 'home');
const catalog = join(setup.scratch, 'foggy.yml');
writeFileSync(catalog, `version: 1\nchannel: "#ops"\nchat:\n  allow:\n    deploy: [U0ALICE01]\nservices:\n  web:\n    status:\n      - http: ${siteUrl}\n  api:\n    status:\n      - http: ${siteUrl}api\n    deploy:\n      run: "true"\n`);
const env = {PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, 'state'), XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config'), FOGGY_CONFIG: catalog, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_APP_TOKEN: APP_TOKEN, FOGGY_BACKGROUND_FLUSH: '0'};

const probeFile = join(setup.scratch, 'heap.json');

async function started(args: string[]): Promise<ChildProcess> {
  const before = slack.socketMode.connectionsOpened;
  const child = spawn(setup.node, args, {cwd: setup.here, env: {...env, HEAP_PROBE_FILE: probeFile}, stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  await slack.socketMode.until(() => /answering/.test(stderr) && slack.socketMode.connectionsOpened > before && slack.socketMode.connected > 0, 30_000, `${args.join(' ')} to connect: ${stderr}`);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  await slack.socketMode.until(() => slack.socketMode.connected === 0, 10_000, 'the connection to close');
}

/** Bursts of AT_ONCE commands sent at once; the time from each envelope to its ack, and to the burst's last entry. */
async function ackLatencies(text: string, waitForEntries: boolean): Promise<{acks: number[]; bursts: number[]}> {
  const acks: number[] = [];
  const bursts: number[] = [];
  for (let burst = 0; burst < BURSTS; burst++) {
    slack.socketMode.forget();
    const posts = slack.messages.length;
    const from = performance.now();
    const ids = Array.from({length: AT_ONCE}, () => slack.slash({text, user: 'U0ALICE01'}));
    await slack.socketMode.until(() => ids.every((id) => slack.socketMode.ackOf(id)), 30_000, 'the acks');
    for (const id of ids) acks.push(slack.socketMode.ackOf(id)!.atMs - slack.socketMode.sent.find((e) => e.envelope_id === id)!.atMs);
    if (waitForEntries) await slack.socketMode.until(() => slack.messages.length >= posts + AT_ONCE, 60_000, 'the entries');
    bursts.push(performance.now() - from);
  }
  return {acks, bursts};
}

// The floor: Bolt acknowledging and nothing else.
const bareBolt = (mode: 'ack' | 'post', flags: string[] = []) => started([...flags, join(setup.here, 'bench', 'bare-bolt.mjs'), APP_TOKEN, TOKEN, slack.url, mode]);
const bare = await bareBolt('ack');
const floor = await ackLatencies('status web', false);
await stop(bare);

/** The heap in use after a full GC, in MB, asked of the process through bench/heap-probe.mjs. */
async function heapAfterGc(child: ChildProcess): Promise<number> {
  writeFileSync(probeFile, '');
  child.kill('SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = readFileSync(probeFile, 'utf8');
    if (text) return (JSON.parse(text) as {heapUsed: number}).heapUsed / 1024 / 1024;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the heap probe did not answer');
}

// foggy serve: every command a status of one service (checked, journaled, posted).
const probe = ['--expose-gc', '--import', join(setup.here, 'bench', 'heap-probe.mjs')];
const serve = await started([...probe, setup.foggy, 'serve']);
const loaded = await ackLatencies('status web', true);
const help = await ackLatencies('help', false);
await stop(serve);

interface MemorySample {
  count: number;
  rssMb: number;
  heapMb: number;
}

/** Memory over many commands (a status of a service each, AT_ONCE at a time), from a fresh process: RSS from /proc. */
async function memoryOver(child: ChildProcess): Promise<{samples: MemorySample[]; ms: number}> {
  const samples: MemorySample[] = [{count: 0, rssMb: rssMb(child.pid!) ?? Number.NaN, heapMb: await heapAfterGc(child)}];
  const from = performance.now();
  let sent = 0;
  while (sent < COMMANDS) {
    slack.socketMode.forget();
    const posts = slack.messages.length;
    const batch = Math.min(AT_ONCE, COMMANDS - sent);
    for (let i = 0; i < batch; i++) slack.slash({text: i % 2 === 0 ? 'status web' : 'status api', user: 'U0ALICE01'});
    await slack.socketMode.until(() => slack.messages.length >= posts + batch, 60_000, 'the batch');
    sent += batch;
    // The fake keeps what it received; what is measured is the server's memory, not the imitation's.
    slack.messages.length = 0;
    slack.calls.length = 0;
    if (SAMPLES_AT.includes(sent)) samples.push({count: sent, rssMb: rssMb(child.pid!) ?? Number.NaN, heapMb: await heapAfterGc(child)});
  }
  const ms = performance.now() - from;
  await stop(child);
  return {samples, ms};
}

// A young generation capped: V8 sizes it for throughput, up to 64 MB a semi-space on a large machine.
const SEMI_SPACE_MB = 16;
const memoryRuns = [
  {name: 'foggy serve', run: await memoryOver(await started([...probe, setup.foggy, 'serve']))},
  {name: `foggy serve, node --max-semi-space-size=${SEMI_SPACE_MB}`, run: await memoryOver(await started([`--max-semi-space-size=${SEMI_SPACE_MB}`, ...probe, setup.foggy, 'serve']))},
  {name: 'bare Bolt app, a message posted per command', run: await memoryOver(await bareBolt('post', probe))},
];

/** Which modules a run loads (a hook records each): a CLI command's should not include Bolt; foggy serve's does. */
async function modulesOf(args: string[]): Promise<{total: number; bolt: number}> {
  const hook = join(setup.scratch, 'record-modules.mjs');
  const out = join(setup.scratch, 'modules.txt');
  writeFileSync(hook, `import {registerHooks} from 'node:module'; import {appendFileSync} from 'node:fs';\nregisterHooks({load(url, context, next) { appendFileSync(${JSON.stringify(out)}, url + '\\n'); return next(url, context); }});\n`);
  writeFileSync(out, '');
  const serving = args[0] === 'serve';
  const child = serving ? await started(['--import', hook, setup.foggy, ...args]) : spawn(setup.node, ['--import', hook, setup.foggy, ...args], {cwd: setup.here, env, stdio: 'ignore'});
  if (serving) await stop(child);
  else await new Promise((resolve) => child.on('close', resolve));
  const urls = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean);
  return {total: urls.length, bolt: urls.filter((url) => url.includes('/@slack/bolt/') || url.includes('/@slack/socket-mode/')).length};
}
const statusModules = await modulesOf(['status', 'web']);
const serveModules = await modulesOf(['serve']);

await slack.stop();
site.close();

const row = (name: string, values: number[]) => `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(1)} ms | ${percentile(values, 99).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms |`;
const counts = memoryRuns[0].run.samples.map((sample) => sample.count);
const growth = (samples: MemorySample[], mb: (sample: MemorySample) => number) => {
  const first = samples[1];
  const last = samples.at(-1)!;
  return first && last.count > first.count ? `${(((mb(last) - mb(first)) * 1024) / ((last.count - first.count) / 1000)).toFixed(0)} KB` : '-';
};
const memoryRows = memoryRuns
  .flatMap(({name, run}) => [
    `| ${name}: RSS | ${run.samples.map((sample) => sample.rssMb.toFixed(1)).join(' | ')} | ${growth(run.samples, (sample) => sample.rssMb)} |`,
    `| ${name}: heap after GC | ${run.samples.map((sample) => sample.heapMb.toFixed(1)).join(' | ')} | ${growth(run.samples, (sample) => sample.heapMb)} |`,
  ])
  .join('\n');
const count = (n: number) => n.toLocaleString('en-US');
const report = `## Serve: acknowledgements under load, memory over commands

Produced by \`npm run bench:serve\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.

\`foggy serve\` as a process, connected by Socket Mode to the loopback Slack. ${AT_ONCE} slash commands sent at
once, ${BURSTS} times; the time from each envelope sent to its ack received (Slack wants one within 3 s).
The floor, in the same run: a Bolt app on the same Socket Mode connection that acknowledges and does nothing.

| what | acks | p50 | p99 | max |
|---|---:|---:|---:|---:|
${row('floor: bare Bolt, ack only', floor.acks)}
${row('foggy serve: /foggy status web (checked, journaled, posted)', loaded.acks)}
${row('foggy serve: /foggy help (answered by response_url)', help.acks)}

A burst of ${AT_ONCE} status commands, from the first envelope to the ${AT_ONCE}th entry posted: p50 ${percentile(loaded.bursts, 50).toFixed(0)} ms, p99 ${percentile(loaded.bursts, 99).toFixed(0)} ms.

Memory: ${count(COMMANDS)} status commands (${AT_ONCE} at a time) sent to a fresh process, ${(memoryRuns[0].run.ms / 1000).toFixed(0)} s for
foggy serve. Resident memory (VmRSS) from /proc, and the heap in use after a full GC (asked of the process by
\`bench/heap-probe.mjs\`, preloaded), in MB, connected and after so many commands. Beside it, the same process
with V8's young generation capped, and a bare Bolt app that posts one message per command.

| process | ${counts.map((n) => (n === 0 ? 'connected' : count(n))).join(' | ')} | growth per 1,000 after the first ${count(counts[1] ?? 0)} |
|---|${counts.map(() => '---:').join('|')}|---:|
${memoryRows}

The heap after a full GC is what a process keeps, and it stays flat. Resident memory also holds what V8 has
not yet collected: it rises while V8 widens its young generation for the allocation rate (a Bolt app that only
posts does the same), then stays. Capping the young generation (\`NODE_OPTIONS=--max-semi-space-size=${SEMI_SPACE_MB}\`,
as examples/systemd/foggy-serve.service does) keeps it lower.

What foggy serve keeps per command: the ids of Slack's deliveries for an hour (for exactly-once), a line in
its append-only file each; nothing else outlives the command.

Startup: Bolt is loaded by \`foggy serve\` alone. Modules loaded (ES and CommonJS, node_modules and foggy's own):

| run | modules | of them Bolt and Socket Mode |
|---|---:|---:|
| \`foggy status web\` | ${statusModules.total} | ${statusModules.bolt} |
| \`foggy serve\` (connected) | ${serveModules.total} | ${serveModules.bolt} |
`;
process.stdout.write(report);
writeSection(join(setup.here, 'BENCHMARKS.md'), 'serve', report);
