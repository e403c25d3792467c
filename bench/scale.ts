// npm run bench:scale: how foggy's cost grows with the work (services, backlog, history), side by side
// with a baseline in the same run. Writes its section of BENCHMARKS.md.
//
//   npm run bench:scale                                    measures this checkout
//   node --import tsx bench/scale.ts --root DIR --label NAME
//                                                          measures another built checkout (say, an older commit)
import {execFileSync, spawn} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {cpus, release, totalmem} from 'node:os';
import {join} from 'node:path';
import {ENTRY_EVENT, entryPayload} from '../src/core/mirror/payload.js';
import {seedBacklog, statusEntry} from '../test/support/backlog.js';
import {FakeSlack} from '../test/support/slack-server.js';
import {measure, type Case, type Measured} from './harness.js';
import {writeSection} from './report.js';
import {benchSetup} from './setup.js';

/** The slowest check of the "one slow check" cases. */
const SLOW_MS = 300;
/** How long each service takes to answer in the "every service slow" case (their floor). */
const EVERY_SLOW_MS = 200;

const {here, root, label, foggy, node, runs, warmups, scratch} = benchSetup({runs: 9, warmups: 2, scratchPrefix: 'foggy-scale-'});
const options = {label};
const servers: {close(): unknown}[] = [];
const before = options.label !== undefined;

try {
  // One route answers after SLOW_MS: "plus the slowest check" measured, not assumed.
  const site = createServer((request, response) => {
    const wait = request.url === '/slow' ? SLOW_MS : request.url === '/every-slow' ? EVERY_SLOW_MS : 0;
    if (wait > 0) setTimeout(() => response.end('Hello World'), wait);
    else response.end('Hello World');
  });
  const sitePort = await new Promise<number>((done) => site.listen(0, '127.0.0.1', () => done((site.address() as AddressInfo).port)));
  servers.push(site as Server);
  const slack = await new FakeSlack().start();
  servers.push({close: () => slack.stop()});
  const token = 'xoxb-test-token-0001';

  const catalog = (name: string, count: number, slowLast = false, everySlow = false) => {
    const dir = join(scratch, name);
    mkdirSync(dir);
    const path = (i: number) => (everySlow ? 'every-slow' : slowLast && i === count - 1 ? 'slow' : '');
    const services = Array.from({length: count}, (_, i) => `  ${i === 0 ? 'web' : `svc${i}`}:\n    status:\n      - http: http://127.0.0.1:${sitePort}/${path(i)}\n        expect: {body: Hello}\n`).join('');
    writeFileSync(join(dir, 'foggy.yml'), `version: 1\nchannel: "#ops"\nservices:\n${services}`);
    return dir;
  };
  const dirs = {10: catalog('s10', 10), 100: catalog('s100', 100), 1000: catalog('s1000', 1000)};
  const slowDirs = {10: catalog('s10-slow', 10, true), 1000: catalog('s1000-slow', 1000, true)};
  const fifty = {instant: catalog('s50', 50), slow: catalog('s50-slow', 50, false, true)};
  let states = 0;
  const env = (extra: NodeJS.ProcessEnv = {}) => ({XDG_STATE_HOME: join(scratch, `state-${states++}`), XDG_CONFIG_HOME: join(scratch, 'config'), XDG_CACHE_HOME: join(scratch, 'cache'), FOGGY_SLACK_TOKEN: '', SLACK_BOT_TOKEN: '', CI: '', ...extra});
  const slackEnv = (extra: NodeJS.ProcessEnv = {}) => env({FOGGY_SLACK_TOKEN: token, FOGGY_SLACK_API_URL: slack.url, ...extra});

  // A backlog: 1,000 entries left by a day-long outage, restored before every run that may drain it.
  const backlogTemplate = join(scratch, 'backlog-template');
  seedBacklog(backlogTemplate, 1000);
  // Background flushers started by backlog runs are stopped before every run of every case: a flusher
  // still draining would take CPU from whatever case comes next.
  const backlogStates: string[] = [];
  const stopFlushers = () => {
    for (const state of backlogStates) {
      const lock = join(state, 'outbox.lock');
      if (!existsSync(lock)) continue;
      try {
        process.kill(JSON.parse(readFileSync(lock, 'utf8')).pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
      rmSync(lock, {force: true});
    }
  };
  const withBacklog = (extra: NodeJS.ProcessEnv) => {
    const e = slackEnv(extra);
    const state = join(e.XDG_STATE_HOME!, 'foggy');
    backlogStates.push(state);
    return {
      env: e,
      prepare: () => {
        // The backlog put back as it was, when a flusher got to it (copying a thousand files just before
        // a run would time the file system's writeback, not foggy).
        let waiting = 0;
        try {
          waiting = readdirSync(join(state, 'outbox')).filter((name) => name.endsWith('.json')).length;
        } catch {
          // Not there yet.
        }
        if (waiting === 1000) return;
        rmSync(join(state, 'outbox'), {recursive: true, force: true});
        mkdirSync(state, {recursive: true});
        cpSync(join(backlogTemplate, 'outbox'), join(state, 'outbox'), {recursive: true});
      },
    };
  };

  // Journals of 1k, 100k and 1M entries (rotation off, so one file holds them all).
  const journalOf = (count: number) => {
    const e = env({FOGGY_JOURNAL_MAX_SIZE: '0'});
    const dir = join(e.XDG_STATE_HOME!, 'foggy');
    mkdirSync(dir, {recursive: true});
    const fd = openSync(join(dir, 'journal.jsonl'), 'w');
    const start = Date.now() - count * 1000;
    for (let from = 0; from < count; from += 10_000) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(count, from + 10_000); i++) {
        const {endedAt, durationMs, outcome, exitCode, summary, ...started} = statusEntry(start + i * 1000, '#ops', {services: [i % 7 === 0 ? 'db' : 'web']});
        lines.push(JSON.stringify({kind: 'start', entry: {...started, outcome: 'running'}}), JSON.stringify({kind: 'end', id: started.id, end: {endedAt, durationMs, outcome, exitCode, summary}}));
      }
      writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
    return e;
  };

  // A year of a team's history: status runs, deploys (one in ten failing), restarts and incidents, spread evenly.
  const yearOf = (count: number) => {
    const start = Date.now() - 365 * 86_400_000;
    const services = ['web', 'api', 'db'];
    return Array.from({length: count}, (_, i) => {
      const at = start + Math.floor((i * 365 * 86_400_000) / count);
      const kind = i % 20;
      const verb = kind < 12 ? 'status' : kind < 17 ? 'deploy' : kind < 19 ? 'restart' : 'incident';
      const outcome = verb === 'incident' ? 'resolved' : verb === 'deploy' && i % 10 === 3 ? 'failed' : 'succeeded';
      const durationMs = verb === 'incident' ? 20 * 60_000 : 40;
      return statusEntry(at, '#ops', {verb, services: [services[i % 3]], outcome, exitCode: outcome === 'failed' ? 1 : 0, endedAt: new Date(at + durationMs).toISOString(), durationMs, summary: `${verb} ${outcome}`});
    });
  };
  const reportJournalOf = (count: number) => {
    const e = env({FOGGY_JOURNAL_MAX_SIZE: '0'});
    const dir = join(e.XDG_STATE_HOME!, 'foggy');
    mkdirSync(dir, {recursive: true});
    const fd = openSync(join(dir, 'journal.jsonl'), 'w');
    const entries = yearOf(count);
    for (let from = 0; from < entries.length; from += 10_000) {
      const lines = entries.slice(from, from + 10_000).flatMap(({endedAt, durationMs, outcome, exitCode, summary, ...started}) => [JSON.stringify({kind: 'start', entry: {...started, outcome: 'running'}}), JSON.stringify({kind: 'end', id: started.id, end: {endedAt, durationMs, outcome, exitCode, summary}})]);
      writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
    return e;
  };
  // The channel: 20,000 of foggy's messages, each an entry in its metadata, oldest first.
  const history = await new FakeSlack().start();
  servers.push({close: () => history.stop()});
  for (const entry of yearOf(20_000)) {
    history.messages.push({ts: (Date.parse(entry.startedAt) / 1000).toFixed(6), channel: 'C0OPS00001', text: entry.summary ?? '', metadata: {event_type: ENTRY_EVENT, event_payload: entryPayload(entry) as Record<string, unknown>}, bot_id: 'B0FOGGY01', user: 'U0FOGGY01'});
  }

  const script = join(scratch, 'status-web.sh');
  writeFileSync(
    script,
    `#!/bin/sh
# What a team might write instead of foggy: check the site, post the result.
if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:${sitePort}/"; then outcome=up; else outcome=down; fi
curl -fsS -o /dev/null --max-time 5 -H "Authorization: Bearer ${token}" --data-urlencode "channel=#ops" --data-urlencode "text=status web: $outcome ($(id -un)@$(hostname))" "${slack.url}chat.postMessage"
`,
  );

  const cases: Case[] = [
    {name: 'shell script: curl the site, curl chat.postMessage', command: 'sh', argv: [script]},
    {name: 'status web (Slack)', argv: [foggy, 'status', 'web'], cwd: dirs[10], env: slackEnv()},
    {name: 'status web (Slack), 1,000 waiting, background flush off', argv: [foggy, 'status', 'web'], cwd: dirs[10], ...withBacklog({FOGGY_BACKGROUND_FLUSH: '0', FOGGY_MIRROR_BUDGET: '3s'})},
    {name: 'status web (Slack), 1,000 waiting, background flush on', argv: [foggy, 'status', 'web'], cwd: dirs[10], ...withBacklog({FOGGY_MIRROR_BUDGET: '3s'})},
    {name: 'status of 10 services', argv: [foggy, 'status'], cwd: dirs[10], env: env()},
    {name: 'status of 100 services', argv: [foggy, 'status'], cwd: dirs[100], env: env()},
    {name: 'status of 1,000 services', argv: [foggy, 'status'], cwd: dirs[1000], env: env()},
    {name: 'status of 10 services (Slack)', argv: [foggy, 'status'], cwd: dirs[10], env: slackEnv()},
    {name: 'status of 1,000 services (Slack)', argv: [foggy, 'status'], cwd: dirs[1000], env: slackEnv()},
    {name: 'status of 50 services', argv: [foggy, 'status'], cwd: fifty.instant, env: env()},
    {name: `status of 50 services, each answering in ${EVERY_SLOW_MS} ms`, argv: [foggy, 'status'], cwd: fifty.slow, env: env()},
    {name: `status of 10 services, one check of ${SLOW_MS} ms`, argv: [foggy, 'status'], cwd: slowDirs[10], env: env()},
    {name: `status of 1,000 services, one check of ${SLOW_MS} ms`, argv: [foggy, 'status'], cwd: slowDirs[1000], env: env()},
    {name: 'log --limit 20, journal of 1k entries', argv: [foggy, 'log', '--limit', '20', '--local'], env: journalOf(1000)},
    {name: 'log --limit 20, journal of 100k entries', argv: [foggy, 'log', '--limit', '20', '--local'], env: journalOf(100_000)},
  ];
  // Earlier builds have no report.
  if (!before) {
    for (const count of [1000, 10_000, 100_000]) cases.push({name: `report --since 365d, journal of ${count.toLocaleString('en-US')} entries`, argv: [foggy, 'report', '--since', '365d', '--local', '--json'], env: reportJournalOf(count)});
    cases.push({name: 'report --since 365d, channel of 20,000 messages', argv: [foggy, 'report', '--since', '365d', '--json'], env: env({FOGGY_SLACK_TOKEN: token, FOGGY_SLACK_API_URL: history.url, FOGGY_CHANNEL: '#ops'})});
  }
  // Earlier builds read the whole journal into one string, which fails past 512 MB.
  if (!before) cases.push({name: 'log --limit 20, journal of 1M entries', argv: [foggy, 'log', '--limit', '20', '--local'], env: journalOf(1_000_000)});

  for (const item of cases) {
    const own = item.prepare;
    item.prepare = () => {
      stopFlushers();
      return own?.();
    };
  }
  const results = await measure(node, cases, {warmups, runs, log: (line) => process.stderr.write(`\r${line}   `)});
  stopFlushers();
  process.stderr.write('\n');
  const flush = await flushBacklog();
  // Earlier builds have no coordination to measure.
  const coordination = before ? '' : await (await import('./coordination.js')).measureCoordination({node, foggy, scratch});
  const report = render(results, flush) + (coordination ? `\n${coordination}` : '');
  writeSection(join(here, 'BENCHMARKS.md'), before ? `scale-${options.label}` : 'scale', report);
  process.stdout.write(report);

  /** One `outbox --flush` of 1,000 entries against a channel limited to one message a second. */
  async function flushBacklog(): Promise<{ms: number; entries: number; messages: number; rateLimited: number; code: number | null}> {
    const limited = await new FakeSlack().start();
    servers.push({close: () => limited.stop()});
    limited.rateLimitPerSecond = 1;
    const e = env({FOGGY_SLACK_TOKEN: token, FOGGY_SLACK_API_URL: limited.url});
    const state = join(e.XDG_STATE_HOME!, 'foggy');
    mkdirSync(state, {recursive: true});
    cpSync(join(backlogTemplate, 'outbox'), join(state, 'outbox'), {recursive: true});
    const started = performance.now();
    const code = await new Promise<number | null>((done) => spawn(node, [foggy, 'outbox', '--flush'], {env: {...process.env, ...e}, stdio: 'ignore'}).on('close', done));
    const ms = performance.now() - started;
    const shown = new Set<string>();
    for (const message of limited.posts()) {
      const payload = message.metadata?.event_payload as {id?: string; entries?: {id: string}[]} | undefined;
      if (payload?.entries) for (const item of payload.entries) shown.add(item.id);
      else if (payload?.id) shown.add(payload.id);
    }
    return {ms, entries: shown.size, messages: limited.callsTo('chat.postMessage').filter((c) => c.status === 200).length, rateLimited: limited.callsTo('chat.postMessage').filter((c) => c.status === 429).length, code};
  }
} finally {
  for (const server of servers) await server.close();
  rmSync(scratch, {recursive: true, force: true});
}

function render(results: Measured[], flush: {ms: number; entries: number; messages: number; rateLimited: number; code: number | null}): string {
  const by = (name: string) => results.find((r) => r.name === name);
  const fmt = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(0));
  const base10 = by('status of 10 services')!.medianMs;
  const rows = results.map((r) => `| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.minMs)}–${fmt(r.maxMs)} | ${(r.medianMs / base10).toFixed(2)} | ${fmt(r.peakRssMb)} |`);
  let git = 'unknown';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'}).trim();
  } catch {
    // Not a checkout.
  }
  const ratio = (a: string, b: string) => (by(a) && by(b) ? (by(a)!.medianMs / by(b)!.medianMs).toFixed(2) : '–');
  const slowestLine = () => {
    const ten = by('status of 10 services');
    const thousand = by(`status of 1,000 services, one check of ${SLOW_MS} ms`);
    if (!ten || !thousand) return '';
    const bound = 1.5 * ten.medianMs + SLOW_MS;
    return `- 1,000 services, one of whose checks takes ${SLOW_MS} ms, take ${fmt(thousand.medianMs)} ms: ${thousand.medianMs <= bound ? 'within' : 'over'} 1.5× the time of 10 services plus that check (${fmt(bound)} ms). Without the slow check, the checks of 1,000 services cost ${fmt(by('status of 1,000 services')!.medianMs - ten.medianMs)} ms more than those of 10.`;
  };
  const fiftyLine = () => {
    const instant = by('status of 50 services');
    const slow = by(`status of 50 services, each answering in ${EVERY_SLOW_MS} ms`);
    if (!instant || !slow) return '';
    const added = slow.medianMs - instant.medianMs;
    return `- 50 services on one origin, each answering in ${EVERY_SLOW_MS} ms, take ${fmt(added)} ms more than 50 that answer at once: ${((added / EVERY_SLOW_MS - 1) * 100).toFixed(0)}% over the floor of ${EVERY_SLOW_MS} ms.`;
  };
  const reportLine = () => {
    const [one, ten, hundred] = [1000, 10_000, 100_000].map((count) => by(`report --since 365d, journal of ${count.toLocaleString('en-US')} entries`));
    const channel = by('report --since 365d, channel of 20,000 messages');
    if (!one || !ten || !hundred) return '';
    return `- Report over a year: ${fmt(one.medianMs)} ms at 1k journal entries, ${fmt(ten.medianMs)} ms at 10k, ${fmt(hundred.medianMs)} ms at 100k (${((hundred.medianMs - one.medianMs) / 99).toFixed(1)} ms per 1,000 more), peak RSS ${fmt(one.peakRssMb)} → ${fmt(ten.peakRssMb)} → ${fmt(hundred.peakRssMb)} MB${channel ? `; from a channel of 20,000 messages (100 pages of history): ${fmt(channel.medianMs)} ms, ${fmt(channel.peakRssMb)} MB` : ''}.`;
  };
  const command = before ? `node --import tsx bench/scale.ts --root <checkout> --label ${options.label}` : 'npm run bench:scale';
  return `## How cost grows with the work${before ? `: ${options.label}` : ''}

Produced by \`${command}\` (${runs} timed runs per case after ${warmups} warm-ups, cases interleaved round by round;
\`BENCH_RUNS\` and \`BENCH_WARMUPS\` change that). Wall time from spawn to exit, in milliseconds.

- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; Node ${process.version}; foggy at ${git}
- Services are HTTP checks against one loopback server; Slack is the loopback imitation from \`test/support/slack-server.ts\`.
- The backlog is 1,000 finished entries in the outbox, restored before every run (and any flusher the previous run started is stopped).
- Journals hold start and end records of status runs, in one file (rotation off).

| case | median ms | min–max ms | × status of 10 services | peak RSS MB |
|---|---:|---:|---:|---:|
${rows.join('\n')}

\`outbox --flush\` of 1,000 waiting entries, Slack limited to one message a second per channel: ${(flush.ms / 1000).toFixed(1)} s,
${flush.entries.toLocaleString('en-US')} entries shown in ${flush.messages} messages (${(flush.entries / (flush.ms / 1000)).toFixed(0)} entries/s), ${flush.rateLimited} answers of 429, exit ${flush.code}.
The rate limit's floor for ${flush.messages} messages is ${Math.max(0, flush.messages - 1)} s (one a second): the flush took ${(flush.ms / 1000 / Math.max(1, flush.messages - 1)).toFixed(2)}× it.

What the figures say:

- A backlog of 1,000 entries: \`status web\` takes ${ratio('status web (Slack), 1,000 waiting, background flush on', 'status web (Slack)')}× as long as with an empty outbox (${ratio('status web (Slack), 1,000 waiting, background flush off', 'status web (Slack)')}× with the background flush off).
- Services: 100 services take ${ratio('status of 100 services', 'status of 10 services')}× the time of 10, and 1,000 take ${ratio('status of 1,000 services', 'status of 10 services')}×. With Slack, 1,000 services take ${ratio('status of 1,000 services (Slack)', 'status of 10 services (Slack)')}× the time of 10 services with Slack.
${slowestLine()}
${fiftyLine()}
${reportLine()}
- History: \`log --limit 20\` at 100k entries takes ${ratio('log --limit 20, journal of 100k entries', 'log --limit 20, journal of 1k entries')}× its time at 1k${by('log --limit 20, journal of 1M entries') ? `, and ${ratio('log --limit 20, journal of 1M entries', 'log --limit 20, journal of 1k entries')}× at 1M` : ''}.
- \`foggy status web\` with the mirror is ${ratio('status web (Slack)', 'shell script: curl the site, curl chat.postMessage')}× a shell script doing the same with two \`curl\` calls (which journals nothing, masks nothing and retries nothing).
`;
}
