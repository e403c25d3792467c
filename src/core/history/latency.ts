/**
 * Response times kept as a histogram with logarithmic bins (each 25% wider than the last, from 1ms to past a
 * minute): a rollup stores its bins, and the percentiles of a longer period are read from the bins of its hours
 * and days added together, within a bin's width (a quarter) of the exact figure. The rollups also keep their own
 * exact p50, p95 and max.
 */

const GROWTH = 1.25;
const BINS = 56;

/** The bin a latency falls in: 0 for under 1ms, then one per factor of 1.25. */
export function binOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  return Math.min(BINS - 1, 1 + Math.floor(Math.log(latencyMs) / Math.log(GROWTH)));
}

/** A bin's upper edge, in milliseconds: what a percentile read from the bins says. */
function upperEdge(bin: number): number {
  return bin === 0 ? 1 : Math.round(GROWTH ** bin);
}

export type Histogram = Map<number, number>;

export function histogramOf(latencies: readonly number[]): Histogram {
  const histogram: Histogram = new Map();
  for (const latency of latencies) {
    const bin = binOf(latency);
    histogram.set(bin, (histogram.get(bin) ?? 0) + 1);
  }
  return histogram;
}

/** "3:12,7:40": compact, for a text column. */
export function encodeHistogram(histogram: Histogram): string {
  return [...histogram].sort((a, b) => a[0] - b[0]).map(([bin, count]) => `${bin}:${count}`).join(',');
}

export function decodeHistogram(text: string | null | undefined, into: Histogram = new Map()): Histogram {
  if (!text) return into;
  for (const part of text.split(',')) {
    const [bin, count] = part.split(':').map(Number);
    if (Number.isInteger(bin) && Number.isInteger(count)) into.set(bin, (into.get(bin) ?? 0) + count);
  }
  return into;
}

/** The p-th percentile (nearest rank) read from the bins: the upper edge of the bin that holds it; null for none. */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  const total = [...histogram.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [bin, count] of [...histogram].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= rank) return upperEdge(bin);
  }
  return null;
}

/** Exact nearest-rank percentile of values sorted ascending; null for none. */
export function exactPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
