// npm run bench: foggy's startup and mirror overhead, side by side with bare node and an empty oclif CLI,
// on the same Node in the same run. Writes its section of BENCHMARKS.md.
//
//   npm run bench                                    measures this checkout
//   node --import tsx bench/run.ts --root DIR --label NAME
//                                                    measures another built checkout of foggy (say, an older commit)
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer as createHttpServer} from 'node:http';
import {createServer as createTcpServer, type AddressInfo, type Server} from 'node:net';
import {cpus, release, totalmem} from 'node:os';
import {join} from 'node:path';
import {FakeSlack} from '../test/support/slack-server.js';
import {buildEmptyOclif} from './empty-oclif.js';
import {measure, type Case, type Measured} from './harness.js';
import {writeSection} from './report.js';
import {benchSetup} from './setup.js';

const {here, root, label, against, foggy, node, runs, warmups, scratch} = benchSetup({runs: 15, warmups: 3, scratchPrefix: 'foggy-bench-'});
const options = {label};
const servers: {close(): unknown}[] = [];

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

try {
  // The services under check: an HTTP site (?delay=ms answers late) and a TCP port.
  const site = createHttpServer((request, response) => {
    const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => response.end('Hello World'), delay);
  });
  const sitePort = await listen(site);
  servers.push(site);
  const tcp = createTcpServer((socket) => socket.end());
  const tcpPort = await listen(tcp);
  servers.push(tcp);
  // A port that refuses connections: listened on for a moment, then closed.
  const probe = createTcpServer();
  const closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  // A Slack that accepts connections and never answers.
  const hanging = await new FakeSlack().start();
  hanging.hanging = true;
  servers.push({close: () => hanging.stop()});
  const slackFast = await new FakeSlack().start();
  servers.push({close: () => slackFast.stop()});
  const slackSlow = await new FakeSlack().start();
  slackSlow.latencyMs = 200;
  servers.push({close: () => slackSlow.stop()});

  const web = `  web:\n    status:\n      - http: http://127.0.0.1:${sitePort}/\n        expect: {body: Hello}\n    deploy:\n      run: "date +%s%3N > \\"$FOGGY_MARK\\""\n`;
  const catalogDir = join(scratch, 'catalog');
  mkdirSync(catalogDir);
  writeFileSync(join(catalogDir, 'foggy.yml'), `version: 1\nchannel: "#ops"\nservices:\n${web}  slow:\n    status:\n      - http: http://127.0.0.1:${sitePort}/?delay=100\n`);
  const fiftyDir = join(scratch, 'fifty');
  mkdirSync(fiftyDir);
  const fifty = Array.from({length: 50}, (_, i) =>
    `  svc${i}:\n    status:\n      - http: http://127.0.0.1:${sitePort}/?delay=${i === 49 ? 100 : 5}\n      - tcp: 127.0.0.1:${tcpPort}\n      - http: http://127.0.0.1:${sitePort}/\n`,
  ).join('');
  writeFileSync(join(fiftyDir, 'foggy.yml'), `version: 1\nservices:\n${fifty}`);

  const empty = buildEmptyOclif(join(scratch, 'empty-oclif'), join(here, 'node_modules'), node);
  let stateCount = 0;
  const state = () => join(scratch, `state-${stateCount++}`);
  const noSlack = () => ({XDG_STATE_HOME: state(), XDG_CONFIG_HOME: join(scratch, 'no-config'), FOGGY_SLACK_TOKEN: '', SLACK_BOT_TOKEN: '', CI: '', FOGGY_MIRROR_BUDGET: '1s'});
  const withSlack = (url: string) => ({...noSlack(), FOGGY_SLACK_TOKEN: 'xoxb-test-token-0001', FOGGY_SLACK_API_URL: url});
  const mark = (name: string) => join(scratch, `${name}.mark`);

  const cases: Case[] = [
    {name: 'bare node', argv: ['-e', '']},
    {name: 'empty oclif --version', argv: [empty, '--version']},
    {name: 'empty oclif --help', argv: [empty, '--help']},
    {name: 'empty oclif hello', argv: [empty, 'hello']},
    {name: 'foggy --version', argv: [foggy, '--version'], env: noSlack()},
    {name: 'foggy --help', argv: [foggy, '--help'], env: noSlack()},
    {name: 'foggy status web (no Slack)', argv: [foggy, 'status', 'web'], cwd: catalogDir, env: noSlack()},
    {name: 'foggy status web (Slack, 0 ms)', argv: [foggy, 'status', 'web'], cwd: catalogDir, env: withSlack(slackFast.url)},
    {name: 'foggy status web (Slack, 200 ms)', argv: [foggy, 'status', 'web'], cwd: catalogDir, env: withSlack(slackSlow.url)},
    {name: 'foggy status slow (one 100 ms check)', argv: [foggy, 'status', 'slow'], cwd: catalogDir, env: noSlack()},
    {name: 'foggy status (50 services × 3 checks, slowest 100 ms)', argv: [foggy, 'status'], cwd: fiftyDir, env: noSlack()},
    {name: 'foggy deploy web (no Slack)', argv: [foggy, 'deploy', 'web'], cwd: catalogDir, env: {...noSlack(), FOGGY_MARK: mark('a')}, marker: mark('a')},
    {name: 'foggy deploy web (Slack, 0 ms)', argv: [foggy, 'deploy', 'web'], cwd: catalogDir, env: {...withSlack(slackFast.url), FOGGY_MARK: mark('b')}, marker: mark('b')},
    {name: 'foggy deploy web (Slack, 200 ms)', argv: [foggy, 'deploy', 'web'], cwd: catalogDir, env: {...withSlack(slackSlow.url), FOGGY_MARK: mark('c')}, marker: mark('c')},
    {name: 'foggy status web (Slack refusing, budget 1s)', argv: [foggy, 'status', 'web'], cwd: catalogDir, env: withSlack(`http://127.0.0.1:${closedPort}/api/`)},
    {name: 'foggy status web (Slack hanging, budget 1s)', argv: [foggy, 'status', 'web'], cwd: catalogDir, env: withSlack(hanging.url)},
  ];

  // Another build, case for case in the same run: each foggy case again on its bin/run.js, with state of its own.
  if (against) {
    for (const item of cases.filter((candidate) => candidate.argv[0] === foggy)) {
      const marker = item.marker ? mark(`${item.name.length}-${against.label}`) : undefined;
      cases.push({...item, name: `${item.name} [${against.label}]`, argv: [against.foggy, ...item.argv.slice(1)], env: {...item.env, XDG_STATE_HOME: state(), ...(marker ? {FOGGY_MARK: marker} : {})}, marker});
    }
  }
  const results = await measure(node, cases, {warmups, runs, log: (line) => process.stderr.write(`\r${line}   `)});
  process.stderr.write('\n');
  const report = render(results);
  writeSection(join(here, 'BENCHMARKS.md'), options.label ? `benchmarks-${options.label}` : 'benchmarks', report);
  process.stdout.write(report);
} finally {
  for (const server of servers) await server.close();
  rmSync(scratch, {recursive: true, force: true});
}

/** This build against the other one measured in the same run: the cases that matter most, as ratios. */
function beside(by: (name: string) => Measured, baseline: number, other: string): string {
  const names = ['foggy --version', 'foggy status web (no Slack)', 'foggy status web (Slack, 0 ms)', 'foggy deploy web (no Slack)', 'foggy deploy web (Slack, 0 ms)', 'foggy deploy web (Slack, 200 ms)'];
  const lines = names.map((name) => {
    const now = by(name);
    const then = by(`${name} [${other}]`);
    return `  - ${name}: ${now.medianMs.toFixed(0)} ms (${(now.medianMs / baseline).toFixed(2)}×), ${other} ${then.medianMs.toFixed(0)} ms (${(then.medianMs / baseline).toFixed(2)}×); ${now.peakRssMb.toFixed(0)} MB, ${other} ${then.peakRssMb.toFixed(0)} MB`;
  });
  return `- This build beside ${other} (rows marked [${other}]), × the empty oclif CLI's --version:\n${lines.join('\n')}\n`;
}

function render(results: Measured[]): string {
  const by = (name: string) => results.find((r) => r.name === name)!;
  const baseline = by('empty oclif --version').medianMs;
  const bare = by('bare node').medianMs;
  const fmt = (n: number) => n.toFixed(0);
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${fmt(r.medianMs)} | ${fmt(r.minMs)}–${fmt(r.maxMs)} | ${(r.medianMs / baseline).toFixed(2)} | ${(r.medianMs / bare).toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.toActionMs === undefined ? '' : fmt(r.toActionMs)} |`,
  );
  const delta = (a: string, b: string) => fmt(by(a).medianMs - by(b).medianMs);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let git = '';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'}).trim();
  } catch {
    git = 'unknown';
  }
  const oclifVersion = JSON.parse(readFileSync(join(here, 'node_modules', '@oclif', 'core', 'package.json'), 'utf8')).version;
  const command = options.label ? `node --import tsx bench/run.ts --root <checkout> --label ${options.label}` : 'npm run bench';
  return `## Side by side${options.label ? `: ${options.label}` : ''}

Produced by \`${command}\` (${runs} timed runs per case after ${warmups} warm-ups, cases interleaved round by round;
\`BENCH_RUNS\` and \`BENCH_WARMUPS\` change that). Wall time of the whole process, from spawn to exit, in milliseconds.

- Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}
- Node ${process.version}, @oclif/core ${oclifVersion}, foggy at ${git}
- Baselines: \`node -e ''\`, and an empty oclif CLI (one command, manifest built) on the same @oclif/core
- Services are loopback servers; Slack is the loopback imitation from \`test/support/slack-server.ts\`
  (no added latency, or 200 ms per request); "refusing" is a closed port, "hanging" accepts and never answers.

| case | median ms | min–max ms | × empty oclif --version | × bare node | peak RSS MB | ms to action start |
|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

What the figures say:

- Startup: \`foggy --version\` is ${(by('foggy --version').medianMs / baseline).toFixed(2)}× the empty oclif CLI, \`foggy --help\` ${(by('foggy --help').medianMs / by('empty oclif --help').medianMs).toFixed(2)}× its \`--help\`.
- \`foggy status web\` with the mirror at 0 ms is ${(by('foggy status web (Slack, 0 ms)').medianMs / baseline).toFixed(2)}× the empty oclif CLI (without Slack: ${(by('foggy status web (no Slack)').medianMs / baseline).toFixed(2)}×).
- The mirror's cost on a status: ${delta('foggy status web (Slack, 0 ms)', 'foggy status web (no Slack)')} ms at 0 ms latency, ${delta('foggy status web (Slack, 200 ms)', 'foggy status web (no Slack)')} ms at 200 ms latency (one round trip is 200 ms).
- An action's start is not held up by the mirror: the action started ${fmt(by('foggy deploy web (no Slack)').toActionMs ?? 0)} ms after spawn without Slack, ${fmt(by('foggy deploy web (Slack, 0 ms)').toActionMs ?? 0)} ms with Slack at 0 ms, ${fmt(by('foggy deploy web (Slack, 200 ms)').toActionMs ?? 0)} ms at 200 ms.
- A deploy of a no-op action with Slack at 200 ms ends ${delta('foggy deploy web (Slack, 200 ms)', 'foggy deploy web (no Slack)')} ms after the same without Slack: the "started" message (sent as the action starts) and then its update, one round trip each.
- 50 services × 3 checks take ${delta('foggy status (50 services × 3 checks, slowest 100 ms)', 'foggy status web (no Slack)')} ms more than one service with one check; one service with a single 100 ms check takes ${delta('foggy status slow (one 100 ms check)', 'foggy status web (no Slack)')} ms more: the checks run in parallel.
- Slack down adds at most the budget (1 s here): ${delta('foggy status web (Slack refusing, budget 1s)', 'foggy status web (no Slack)')} ms when refusing, ${delta('foggy status web (Slack hanging, budget 1s)', 'foggy status web (no Slack)')} ms when hanging.
- Peak memory of a status: ${by('foggy status web (Slack, 0 ms)').peakRssMb.toFixed(0)} MB with the mirror, ${by('foggy status (50 services × 3 checks, slowest 100 ms)').peakRssMb.toFixed(0)} MB for 50 services.
${against ? beside(by, baseline, against.label) : ''}`;
}
