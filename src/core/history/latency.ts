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

/** Counts per bin, dense (a rollup's, or many pieces' added up; parts of a piece make fractional counts). */
export type Histogram = Float64Array;

/** What a piece carries: its non-empty bins as pairs, [bin, count, bin, count, …] (most pieces fill a few bins). */
export type SparseHistogram = number[];

export function emptyHistogram(): Histogram {
  return new Float64Array(BINS);
}

export function histogramOf(latencies: readonly number[]): Histogram {
  const histogram = emptyHistogram();
  for (const latency of latencies) histogram[binOf(latency)]++;
  return histogram;
}

/** Adds a piece's bins, each count times `part` (the share of the piece inside a period). */
export function addBins(into: Histogram, sparse: SparseHistogram, part = 1): void {
  for (let i = 0; i < sparse.length; i += 2) into[sparse[i]] += sparse[i + 1] * part;
}

/** "3:12,7:40": compact, for a text column. */
export function encodeHistogram(histogram: Histogram): string {
  const parts: string[] = [];
  for (let bin = 0; bin < BINS; bin++) if (histogram[bin] > 0) parts.push(`${bin}:${histogram[bin]}`);
  return parts.join(',');
}

/** A stored "3:12,7:40" as pairs; anything malformed is left out. */
export function decodeHistogram(text: string | null | undefined): SparseHistogram {
  const pairs: SparseHistogram = [];
  if (!text) return pairs;
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    const bin = Number(part.slice(0, colon));
    const count = Number(part.slice(colon + 1));
    if (colon > 0 && Number.isInteger(bin) && bin >= 0 && bin < BINS && Number.isInteger(count) && count > 0) pairs.push(bin, count);
  }
  return pairs;
}

/** The p-th percentile (nearest rank) read from the bins: the upper edge of the bin that holds it; null for none. */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  let total = 0;
  for (let bin = 0; bin < BINS; bin++) total += histogram[bin];
  if (!(total > 0)) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (let bin = 0; bin < BINS; bin++) {
    seen += histogram[bin];
    if (histogram[bin] > 0 && seen >= rank) return upperEdge(bin);
  }
  // Fractions that add up to a hair under the rank: the last bin that holds any.
  for (let bin = BINS - 1; bin >= 0; bin--) if (histogram[bin] > 0) return upperEdge(bin);
  return null;
}

/** Exact nearest-rank percentile of values sorted ascending; null for none. */
export function exactPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
