import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';

/**
 * What every benchmark script starts from: this checkout (where BENCHMARKS.md is), the foggy to measure
 * (--root, this checkout by default; --label names another build's section; --against DIR measures another build
 * beside it in the same run, --against-label naming it), the node to run it on, the
 * number of runs (BENCH_RUNS, BENCH_WARMUPS), and a scratch directory.
 */
export function benchSetup(defaults: {runs: number; warmups: number; scratchPrefix: string}) {
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  const {values} = parseArgs({options: {root: {type: 'string', default: here}, label: {type: 'string'}, against: {type: 'string'}, 'against-label': {type: 'string'}}});
  const root = resolve(values.root!);
  // Another built checkout measured in the same run, case for case (bench/run.ts): "before" and "now" side by side.
  const against = values.against === undefined ? undefined : {foggy: join(resolve(values.against), 'bin', 'run.js'), label: values['against-label'] ?? 'before', root: resolve(values.against)};
  return {
    here,
    root,
    label: values.label,
    against,
    foggy: join(root, 'bin', 'run.js'),
    node: process.execPath,
    runs: Number(process.env.BENCH_RUNS ?? defaults.runs),
    warmups: Number(process.env.BENCH_WARMUPS ?? defaults.warmups),
    scratch: mkdtempSync(join(tmpdir(), defaults.scratchPrefix)),
  };
}
