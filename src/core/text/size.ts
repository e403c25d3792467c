const UNIT_BYTES: Record<string, number> = {b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, k: 1024, m: 1024 ** 2, g: 1024 ** 3};
const SIZE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** Parses "32MiB", "64MB", "500k" or a bare number of bytes. */
export function parseSize(value: string): number {
  const match = SIZE.exec(value.trim());
  const unit = match ? (match[2] || 'b').toLowerCase() : '';
  if (!match || !(unit in UNIT_BYTES)) throw new Error(`not a size: ${JSON.stringify(value)} (expected e.g. 32MiB, 64MB, 500KB)`);
  return Math.round(Number(match[1]) * UNIT_BYTES[unit]);
}
