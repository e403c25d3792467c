// npm run bench:history: what a year of the watcher's history costs to keep and to read.
//
// 1. A simulated year, written through the history's own code (HistoryStore.record and maintain, as the watcher
//    calls them each round) with a driven clock: 100 services, one check each, a round every 60 s, outages,
//    deploys, and the watcher stopped for a while now and then. Per round write cost and disk, day by day.
// 2. `foggy uptime` over that year, as a process, beside `foggy --version` in the same run.
// 3. The status page over it (100 services, 90 days of bars), with concurrent requests: `/`, a badge and the API,
//    its figures cached (as served) and computed for every request, beside a bare node:http server in the same
//    worker thread.
//
// BENCH_HISTORY_DAYS shortens the year (for a quick look). Writes its section of BENCHMARKS.md.
import {statSync, writeFileSync, mkdirSync, existsSync} from 'node:fs';
import {Agent, request as httpRequest} from 'node:http';
import {cpus, release, totalmem} from 'node:os';
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import {execFileSync} from 'node:child_process';
import {openSqlite, historyFile} from '../src/core/history/sqlite.js';
import {DAY_MS, HistoryStore, type RoundSample} from '../src/core/history/store.js';
import {stateDir} from '../src/core/platform/paths.js';
import {measure} from './harness.js';
import {writeSection} from './report.js';
import {benchSetup} from './setup.js';

const setup = benchSetup({runs: 10, warmups: 2, scratchPrefix: 'foggy-bench-history-'});
const DAYS = Number(process.env.BENCH_HISTORY_DAYS ?? 365);
const SERVICES = 100;
const INTERVAL_MS = 60_000;
const REPORT_DAYS = [1, 30, 90, 180, 270, 365].filter((day) => day <= DAYS);
const log = (line: string) => process.stderr.write(`${line}\n`);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const names = Array.from({length: SERVICES}, (_, index) => `svc-${String(index).padStart(3, '0')}`);

/** A deterministic random stream: the same year every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const env = {HOME: setup.scratch, XDG_STATE_HOME: join(setup.scratch, 'state'), XDG_CACHE_HOME: join(setup.scratch, 'cache'), XDG_CONFIG_HOME: join(setup.scratch, 'config'), PATH: process.env.PATH};
const now = Math.floor(Date.now() / INTERVAL_MS) * INTERVAL_MS;
const start = now - DAYS * DAY_MS;

interface Day {
  day: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  diskMb: number;
}

async function simulateYear(): Promise<{days: Day[]; rounds: number; samples: number; seconds: number; stoppedRounds: number}> {
  mkdirSync(stateDir(env), {recursive: true});
  const file = historyFile(stateDir(env));
  const store = new HistoryStore(openSqlite(file));
  const next = random(27);
  // Each service fails now and then for a few rounds; the watcher itself is stopped for two hours every 30 days.
  const downUntil = new Array<number>(SERVICES).fill(0);
  const openIncident = new Array<string | undefined>(SERVICES);
  const days: Day[] = [];
  let rounds = 0;
  let samples = 0;
  let stoppedRounds = 0;
  let costs: number[] = [];
  const began = performance.now();
  for (let at = start; at < now; at += INTERVAL_MS) {
    const day = Math.floor((at - start) / DAY_MS) + 1;
    const minuteOfDay = Math.floor(((at - start) % DAY_MS) / INTERVAL_MS);
    if (day % 30 === 15 && minuteOfDay >= 600 && minuteOfDay < 720) {
      stoppedRounds++;
      continue;
    }
    const round: RoundSample[] = [];
    for (let index = 0; index < SERVICES; index++) {
      if (downUntil[index] <= rounds && next() < 1 / 5000) downUntil[index] = rounds + 2 + Math.floor(next() * 30);
      const ok = downUntil[index] <= rounds;
      const latencyMs = ok ? 20 + Math.round(-Math.log(1 - next()) * 40) : 2000;
      round.push({service: names[index], ok, latencyMs, spanMs: INTERVAL_MS, checks: [{name: `http://${names[index]}.internal/health`, ok, latencyMs, detail: ok ? '200 OK' : 'HTTP 503'}]});
    }
    const t0 = performance.now();
    await store.record(at, round);
    for (let index = 0; index < SERVICES; index++) {
      const ok = round[index].ok;
      if (!ok && !openIncident[index]) {
        openIncident[index] = `inc-${index}-${at}`;
        await store.saveIncident({id: openIncident[index]!, service: names[index], started: at, summary: 'HTTP 503'});
      } else if (ok && openIncident[index]) {
        await store.saveIncident({id: openIncident[index]!, service: names[index], started: Number(openIncident[index]!.split('-')[2]), ended: at});
        openIncident[index] = undefined;
      }
    }
    if (minuteOfDay === 600) {
      const service = names[Math.floor(next() * SERVICES)];
      await store.saveRun({entry: `run-${at}`, service, verb: 'deploy', ref: `v${day}`, who: 'alice', started: at, ended: at + 90_000, outcome: 'ok'});
    }
    await store.maintain(at + INTERVAL_MS);
    costs.push(performance.now() - t0);
    rounds++;
    samples += round.length;
    const endOfDay = (at + INTERVAL_MS - start) % DAY_MS === 0;
    if (endOfDay) {
      if (REPORT_DAYS.includes(day)) {
        const diskMb = [file, `${file}-wal`].filter(existsSync).reduce((sum, path) => sum + statSync(path).size, 0) / 2 ** 20;
        days.push({day, meanMs: mean(costs), p95Ms: percentile(costs, 95), maxMs: Math.max(...costs), diskMb});
        log(`day ${day}: ${mean(costs).toFixed(2)} ms a round, ${diskMb.toFixed(1)} MB`);
      }
      costs = [];
    }
  }
  await store.close();
  return {days, rounds, samples, seconds: (performance.now() - began) / 1000, stoppedRounds};
}

function catalogFile(): string {
  const file = join(setup.scratch, 'foggy.yml');
  const services = names.map((name) => `  ${name}:\n    status:\n      - http: http://${name}.internal/health\n`).join('');
  writeFileSync(file, `version: 1\nchannel: "#ops"\nservices:\n${services}`);
  return file;
}

interface Load {
  name: string;
  path: string;
  requests: number;
  concurrency: number;
}

/** `requests` GETs of one path over `concurrency` kept-alive connections; each request's time. */
async function load(base: string, item: Load): Promise<number[]> {
  const agent = new Agent({keepAlive: true, maxSockets: item.concurrency});
  const times: number[] = [];
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const began = performance.now();
      const req = httpRequest(new URL(item.path, base), {agent, headers: {'accept-encoding': 'gzip'}}, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${item.path}: HTTP ${response.statusCode}`));
        response.resume();
        response.on('end', () => {
          times.push(performance.now() - began);
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  const client = async () => {
    while (sent < item.requests) {
      sent++;
      await one();
    }
  };
  await Promise.all(Array.from({length: item.concurrency}, client));
  agent.destroy();
  return times;
}

type Served = {case: string; name: string; n: number; concurrency: number; p50: number; p95: number; max: number};

async function servePage(catalog: string): Promise<Served[]> {
  const rows: Served[] = [];
  const serverCases: {name: string; freshMs?: number; bare?: boolean}[] = [{name: 'bare node:http', bare: true}, {name: 'page, cached (as served)'}, {name: 'page, figures made for each request, one request at a time', freshMs: 0}];
  for (const serverCase of serverCases) {
    const worker = new Worker(new URL('./history-page-worker.ts', import.meta.url), {execArgv: ['--import', 'tsx'], workerData: {env, catalog, freshMs: serverCase.freshMs, bare: serverCase.bare === true}});
    const url = await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // Figures made for every request are made one request at a time (node:sqlite reads synchronously): what one
    // visitor waits when the figures have just expired. Served ones are loaded with 10 requests at once.
    const fresh = serverCase.freshMs === 0;
    const loads: Load[] = [
      {name: '/', path: '/', requests: fresh ? 50 : 1000, concurrency: fresh ? 1 : 10},
      {name: 'badge uptime-30d', path: '/badge/svc-042/uptime-30d.svg', requests: fresh ? 50 : 2000, concurrency: fresh ? 1 : 10},
      {name: '/api/v1/services', path: '/api/v1/services', requests: fresh ? 50 : 1000, concurrency: fresh ? 1 : 10},
    ];
    for (const item of serverCase.bare ? loads.slice(0, 1) : loads) {
      await load(url, {...item, requests: 20});
      const times = await load(url, item);
      rows.push({case: serverCase.name, name: item.name, n: times.length, concurrency: item.concurrency, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times)});
      log(`${serverCase.name} ${item.name}: p95 ${percentile(times, 95).toFixed(1)} ms`);
    }
    await worker.terminate();
  }
  return rows;
}

const year = await simulateYear();
const catalog = catalogFile();
const processes = await measure(
  setup.node,
  [
    {name: 'foggy --version', argv: [setup.foggy, '--version'], env},
    {name: 'foggy uptime (100 services, the standard windows)', argv: [setup.foggy, 'uptime', '--config', catalog], env},
    {name: 'foggy uptime --since 365d --json', argv: [setup.foggy, 'uptime', '--since', `${DAYS}d`, '--json', '--config', catalog], env},
    {name: 'foggy uptime svc-042 --since 365d', argv: [setup.foggy, 'uptime', 'svc-042', '--since', `${DAYS}d`, '--config', catalog], env},
  ],
  {warmups: setup.warmups, runs: setup.runs, log},
);
const served = await servePage(catalog);

const git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: setup.here, encoding: 'utf8'}).trim();
const first = year.days[0];
const last = year.days.at(-1)!;
writeSection(
  join(setup.here, 'BENCHMARKS.md'),
  'history',
  `## History: a year of samples, and reading it

Produced by \`npm run bench:history\`.

- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; Node ${process.version}; foggy at ${git}
- ${SERVICES} services, one check each, a round every ${INTERVAL_MS / 1000} s, for ${DAYS} simulated days (the clock driven): ${year.rounds.toLocaleString('en-US')} rounds, ${year.samples.toLocaleString('en-US')} samples, with outages, a deploy a day, and the watcher stopped two hours every 30 days (${year.stoppedRounds} rounds of no data). Written through \`HistoryStore.record\` and \`maintain\` as the watcher calls them, into \`node:sqlite\` in the state directory, in ${year.seconds.toFixed(0)} s.

### Write cost per round and disk, as the year goes by

| day | mean ms a round | p95 ms | slowest round ms (the day's rollup) | disk MB |
|---:|---:|---:|---:|---:|
${year.days.map((day) => `| ${day.day} | ${day.meanMs.toFixed(2)} | ${day.p95Ms.toFixed(2)} | ${day.maxMs.toFixed(0)} | ${day.diskMb.toFixed(1)} |`).join('\n')}

From day ${first.day} to day ${last.day} the mean write cost of a round goes from ${first.meanMs.toFixed(2)} to ${last.meanMs.toFixed(2)} ms, and the disk from ${first.diskMb.toFixed(1)} to ${last.diskMb.toFixed(1)} MB: raw samples are kept 48 hours, hourly rollups 90 days, so past day 90 only the daily rollups grow (${SERVICES} rows a day).

### foggy uptime over the year, as a process

${setup.runs} timed runs each after ${setup.warmups} warm-ups, interleaved; wall time from spawn to exit.

| case | median ms | min–max ms | peak RSS MB |
|---|---:|---:|---:|
${processes.map((item) => `| ${item.name} | ${item.medianMs.toFixed(0)} | ${item.minMs.toFixed(0)}–${item.maxMs.toFixed(0)} | ${item.peakRssMb.toFixed(0)} |`).join('\n')}

### The status page over the year (${SERVICES} services, 90 days of bars)

The page served from a worker thread over the same file, loaded from the main thread over kept-alive connections
(gzip accepted). "Cached" is as \`foggy watch --listen\` serves: figures made at most every 2 s, shared by every
request meanwhile, loaded with 10 requests at once; "made for each request" is what one visitor waits when the
figures have just expired (they are made one request at a time: \`node:sqlite\` reads synchronously). The baseline: a bare node:http server answering a fixed
text, in the same kind of worker.

| server | path | requests | at once | p50 ms | p95 ms | max ms |
|---|---|---:|---:|---:|---:|---:|
${served.map((row) => `| ${row.case} | ${row.name} | ${row.n} | ${row.concurrency} | ${row.p50.toFixed(1)} | ${row.p95.toFixed(1)} | ${row.max.toFixed(1)} |`).join('\n')}
`,
);
log('BENCHMARKS.md: section "history" written');
