import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export interface Case {
  name: string;
  /** argv after the node binary (or after `command`). */
  argv: string[];
  /** Run this program instead of node (a shell script baseline). */
  command?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that count as a correct run (the benchmark refuses to time a broken command). */
  expectExit?: number[];
  /** A file the measured action writes Date.now() into when it starts: gives "time to action start". */
  marker?: string;
  /** Runs before every run of the case, untimed (to restore a state the run changes). */
  prepare?: () => void | Promise<void>;
}

export interface Measured {
  name: string;
  command: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMb: number;
  /** Median ms from spawning foggy to its action starting (cases with a marker). */
  toActionMs?: number;
}

/** Reports the child's peak resident memory (maxRSS, in KiB) to a file when it exits. */
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import {writeFileSync} from 'node:fs'; process.on('exit', () => writeFileSync(process.env.FOGGY_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));",
)}`;

async function once(node: string, item: Case, extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ms: number; code: number | null; stderr: string; toActionMs?: number}> {
  await item.prepare?.();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const wallStart = Date.now();
    const child = spawn(item.command ?? node, item.command ? item.argv : [...extraArgs, ...item.argv], {cwd: item.cwd, env: {...process.env, ...item.env, ...extraEnv}, stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const toActionMs = item.marker ? Number(readFileSync(item.marker, 'utf8')) - wallStart : undefined;
      resolve({ms, code, stderr, toActionMs});
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs every case `warmups` times untimed, then `runs` rounds in which the cases take turns
 * (interleaved, so a noisy moment hurts all cases alike), then once more to read peak memory.
 */
export async function measure(node: string, cases: Case[], options: {warmups: number; runs: number; log: (line: string) => void}): Promise<Measured[]> {
  for (const item of cases) {
    for (let i = 0; i < options.warmups; i++) {
      const result = await once(node, item);
      const expected = item.expectExit ?? [0];
      if (!expected.includes(result.code ?? -1)) throw new Error(`${item.name}: exit ${result.code}, expected ${expected.join(' or ')}\n${result.stderr}`);
    }
  }
  const times = new Map(cases.map((item) => [item.name, [] as number[]]));
  const toAction = new Map(cases.map((item) => [item.name, [] as number[]]));
  for (let round = 0; round < options.runs; round++) {
    for (const item of cases) {
      const result = await once(node, item);
      times.get(item.name)!.push(result.ms);
      if (result.toActionMs !== undefined) toAction.get(item.name)!.push(result.toActionMs);
    }
    options.log(`round ${round + 1}/${options.runs}`);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'foggy-bench-'));
  const results: Measured[] = [];
  try {
    for (const item of cases) {
      const rssFile = join(scratch, 'rss');
      await once(node, item, ['--import', RSS_PRELOAD], {FOGGY_BENCH_RSS_FILE: rssFile});
      const values = times.get(item.name)!;
      results.push({
        name: item.name,
        command: item.argv.join(' '),
        runs: values.length,
        medianMs: median(values),
        minMs: Math.min(...values),
        maxMs: Math.max(...values),
        // A program that is not node (a shell script) reports no peak memory.
        peakRssMb: item.command ? Number.NaN : Number(readFileSync(rssFile, 'utf8')) / 1024,
        toActionMs: toAction.get(item.name)!.length > 0 ? median(toAction.get(item.name)!) : undefined,
      });
    }
  } finally {
    rmSync(scratch, {recursive: true, force: true});
  }
  return results;
}
