const UNIT_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Parses "500ms", "2s", "10m", "1h", or a bare number of seconds, into milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const match = DURATION.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${JSON.stringify(value)} (expected e.g. 500ms, 2s, 10m)`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]]);
}

/** Short human form: 840ms, 2.3s, 4m05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m${String(seconds).padStart(2, '0')}s`;
}

/** A span as people say it, to the minute: 45m, 1h, 1h30m, 2d, 2d6h. */
export function formatSpan(ms: number): string {
  // Under half a minute (a deploy's quiet time just now), in seconds: "0m" would say nothing happened.
  if (ms < 30_000) return `${Math.max(0, Math.round(ms / 1000))}s`;
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days}d${hours > 0 ? `${hours}h` : ''}${rest > 0 && hours === 0 ? `${rest}m` : ''}`;
  return `${hours}h${rest > 0 ? `${String(rest).padStart(2, '0')}m` : ''}`;
}
