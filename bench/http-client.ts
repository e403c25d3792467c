// npm run bench:http: foggy's HTTP check client beside node:http (a keep-alive Agent) and undici's request (a
// pooled Agent), each doing the same 1,000 GET requests to one loopback origin, 32 connections, in a cold
// process (as a `foggy status` is), cases interleaved round by round. Writes its section of BENCHMARKS.md.
import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {cpus, release, totalmem} from 'node:os';
import {join} from 'node:path';
import {build} from 'esbuild';
import {measure, type Case} from './harness.js';
import {writeSection} from './report.js';
import {benchSetup} from './setup.js';

const REQUESTS = 1000;
const CONNECTIONS = 32;
const {here, root, node, runs, warmups, scratch} = benchSetup({runs: 15, warmups: 2, scratchPrefix: 'foggy-http-'});

const server = createServer((_, response) => response.end('Hello World'));
const port = await new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
const url = `http://127.0.0.1:${port}/`;

try {
  // foggy's client, bundled as the CLI bundles it, with the deadline the checks give each request.
  const foggyEntry = join(scratch, 'foggy-entry.ts');
  writeFileSync(
    foggyEntry,
    `import {prepareRequest, sendRequest} from ${JSON.stringify(join(root, 'src/core/checks/http-client.ts'))};
const never = {aborted: false, reason: undefined, onAbort: () => () => {}};
const request = prepareRequest({url: process.argv[2], method: 'GET', headers: {}, tls: {insecure: false}, keepBody: true, keepHeaders: false, maxBodyBytes: 1 << 20, settleAtHead: false});
let left = ${REQUESTS}, ok = 0;
for (let i = 0; i < ${REQUESTS}; i++) sendRequest(request, never, (error, response) => {
  if (response && response.body.toString().includes('Hello')) ok++;
  if (--left === 0 && ok !== ${REQUESTS}) process.exit(1);
});
`,
  );
  await build({entryPoints: [foggyEntry], outfile: join(scratch, 'foggy.mjs'), bundle: true, format: 'esm', platform: 'node', logLevel: 'warning'});

  const nodeHttp = join(scratch, 'node-http.mjs');
  writeFileSync(
    nodeHttp,
    `import {Agent, request} from 'node:http';
const agent = new Agent({keepAlive: true, maxSockets: ${CONNECTIONS}});
let left = ${REQUESTS}, ok = 0;
for (let i = 0; i < ${REQUESTS}; i++) request(process.argv[2], {agent}, (response) => {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => {
    if (body.includes('Hello')) ok++;
    if (--left === 0) { agent.destroy(); if (ok !== ${REQUESTS}) process.exit(1); }
  });
}).end();
`,
  );

  const undiciRequest = join(scratch, 'undici.mjs');
  writeFileSync(
    undiciRequest,
    `import {Agent, request} from ${JSON.stringify(join(here, 'node_modules/undici/index.js'))};
const dispatcher = new Agent({connections: ${CONNECTIONS}});
let left = ${REQUESTS}, ok = 0;
for (let i = 0; i < ${REQUESTS}; i++) request(process.argv[2], {dispatcher}).then(async ({body}) => {
  if ((await body.text()).includes('Hello')) ok++;
  if (--left === 0) { await dispatcher.close(); if (ok !== ${REQUESTS}) process.exit(1); }
});
`,
  );

  const cases: Case[] = [
    {name: 'node, empty script (the floor)', argv: ['-e', '']},
    {name: "foggy's check client", argv: [join(scratch, 'foggy.mjs'), url]},
    {name: 'node:http, keep-alive Agent', argv: [nodeHttp, url]},
    {name: "undici's request, pooled Agent", argv: [undiciRequest, url]},
  ];
  const results = await measure(node, cases, {warmups, runs, log: (line) => process.stderr.write(`\r${line}   `)});
  process.stderr.write('\n');
  const floor = results[0].medianMs;
  const ours = results[1].medianMs - floor;
  const rows = results.map((r, index) => `| ${r.name} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)} | ${index === 0 ? '–' : (r.medianMs - floor).toFixed(0)} | ${index === 0 ? '–' : ((r.medianMs - floor) / ours).toFixed(2)} | ${r.peakRssMb.toFixed(0)} |`);
  let git = 'unknown';
  try {
    git = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'}).trim();
  } catch {
    // Not a checkout.
  }
  const report = `## HTTP check client beside node:http and undici

Produced by \`npm run bench:http\` (${runs} timed runs per case after ${warmups} warm-ups, cases interleaved round by
round). Each case is a cold node process doing ${REQUESTS.toLocaleString('en-US')} GET requests to one loopback
server, ${CONNECTIONS} kept-alive connections, reading every body; wall time from spawn to exit, in milliseconds.

- Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; Node ${process.version}; foggy at ${git}

| case | median ms | min–max ms | over the floor, ms | × foggy's | peak RSS MB |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}
`;
  writeSection(join(here, 'BENCHMARKS.md'), 'http-client', report);
  process.stdout.write(report);
} finally {
  server.close();
}
