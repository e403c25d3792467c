// npm run bench:masking: how much of a gitleaks-derived corpus foggy masks, and how fast masking runs over
// output of growing size. Writes its section of BENCHMARKS.md.
import {readFileSync} from 'node:fs';
import {cpus} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createMasker} from '../src/core/mask/masker.js';
import {measureCorpus} from '../test/support/corpus.js';
import {writeSection} from './report.js';

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const mask = createMasker({env: {DEPLOY_TOKEN: 'tok-abcdefghijklmnop'}, patterns: ['ticket-[0-9]{4}']});

// Deploy output as it comes: logs, docker, kubectl, a JSON logger, and now and then a secret.
const lines = [
  '2026-11-25T14:02:11.123Z INFO  web-7d9f8c6b5-x2k4z Started GET /api/v1/users?page=2 200 12ms',
  'Step 4/12 : RUN npm ci --no-audit --no-fund',
  ' ---> Running in 3f2a9c1b7e4d',
  'deployment.apps/web configured; rollout status: 3 of 3 updated replicas are available...',
  'Pulling image registry.example.com/web@sha256:9b2f1e0d8c7a6b5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f',
  'export DATABASE_URL=postgres://app:s3cr3tP4ssw0rd@db.internal:5432/app',
  '{"level":"info","msg":"request finished","request_id":"123e4567-e89b-12d3-a456-426614174000","duration_ms":42}',
];
function output(megabytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    parts.push(lines[i % lines.length]);
    size += lines[i % lines.length].length + 1;
  }
  return parts.join('\n') + '\n';
}

mask(output(1)); // warm up
const rows: string[] = [];
for (const megabytes of [1, 10, 50]) {
  const text = output(megabytes);
  const started = performance.now();
  mask(text);
  const ms = performance.now() - started;
  rows.push(`| ${megabytes} MB | ${ms.toFixed(0)} | ${(text.length / 1024 / 1024 / (ms / 1000)).toFixed(1)} |`);
}
const corpus = measureCorpus();
const readable = readFileSync(join(here, 'test/fixtures/negative-corpus.txt'), 'utf8').split('\n').filter(Boolean);
const plainMask = createMasker({env: {}});
const changed = readable.filter((line) => plainMask(line) !== line);
const report = `## Masking

Produced by \`npm run bench:masking\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.

Against the corpus in \`test/fixtures/secret-corpus.json\` (built by \`scripts/secret-corpus.mjs\` from gitleaks' default
rule set, each sample with its key name and assignment and again inside a log line, plus families of foggy's own:
private key blocks in their layouts, webhook URLs, base64-wrapped secrets, Kubernetes Secrets, NuGet configs,
digit-only client ids; ${corpus.total} samples from ${corpus.rules} rules or families):
**${((corpus.masked / corpus.total) * 100).toFixed(1)}%** of samples fully masked (${corpus.masked} of ${corpus.total}); ${corpus.rules - corpus.uncoveredRules.length} of ${corpus.rules} families with at least one
sample masked. Rules with a sample left unmasked: ${corpus.missedRules.join(', ') || 'none'}.

What must stay readable: **${corpus.touched.length}** of the corpus's ${corpus.negatives} negatives touched, and **${changed.length}** of the ${readable.length} lines of
\`test/fixtures/negative-corpus.txt\` (commit SHAs, UUIDs, trace and span ids, image digests, versions and build
numbers, times, hosts and URLs in key=value, JSON, YAML and --flag notations, and deploy, CI, kubectl, docker,
terraform, helm, ansible and system log lines; built by \`scripts/negative-corpus.mjs\`) changed.

Throughput of one pass over typical deploy output (every byte masked; foggy itself keeps at most the first
64 KiB and the last 256 KiB of an action's output, so a run masks at most that much):

| output | ms | MB/s |
|---|---:|---:|
${rows.join('\n')}
`;
writeSection(join(here, 'BENCHMARKS.md'), 'masking', report);
process.stdout.write(report);
