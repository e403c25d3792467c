import {histogramPercentile, type Histogram} from './latency.js';
import type {Piece} from './store.js';

/**
 * A service's figures over a period, from the pieces the store gave: time up, down, quiet (shown apart, never
 * counted as down) and with no data (no watcher ran: never up); uptime over the time it was watched and not quiet;
 * the samples behind it; and response times. A piece that reaches past the period counts for the part inside.
 */
export interface Figures {
  from: number;
  to: number;
  upMs: number;
  downMs: number;
  quietMs: number;
  noDataMs: number;
  /** Up time over up and down time (0 to 1); null when nothing was watched (no data is never up). */
  uptime: number | null;
  samples: {up: number; down: number; quiet: number};
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export function figuresOf(pieces: readonly Piece[], from: number, to: number): Figures {
  let upMs = 0;
  let downMs = 0;
  let quietMs = 0;
  const samples = {up: 0, down: 0, quiet: 0};
  let maxMs: number | null = null;
  const histogram: Histogram = new Map();
  for (const piece of pieces) {
    const start = Math.max(piece.start, from);
    const end = Math.min(piece.end, to);
    if (end <= start) continue;
    const part = (end - start) / (piece.end - piece.start);
    upMs += piece.upMs * part;
    downMs += piece.downMs * part;
    quietMs += piece.quietMs * part;
    samples.up += piece.upN * part;
    samples.down += piece.downN * part;
    samples.quiet += piece.quietN * part;
    if (piece.max !== null) maxMs = Math.max(maxMs ?? 0, piece.max);
    for (const [bin, count] of piece.histogram) histogram.set(bin, (histogram.get(bin) ?? 0) + count * part);
  }
  const watched = upMs + downMs;
  return {
    from,
    to,
    upMs: Math.round(upMs),
    downMs: Math.round(downMs),
    quietMs: Math.round(quietMs),
    noDataMs: Math.max(0, Math.round(to - from - upMs - downMs - quietMs)),
    uptime: watched > 0 ? upMs / watched : null,
    samples: {up: Math.round(samples.up), down: Math.round(samples.down), quiet: Math.round(samples.quiet)},
    p50Ms: histogramPercentile(histogram, 50),
    p95Ms: histogramPercentile(histogram, 95),
    maxMs,
  };
}

/** Pieces by service. */
export function byService(pieces: readonly Piece[]): Map<string, Piece[]> {
  const grouped = new Map<string, Piece[]>();
  for (const piece of pieces) {
    const list = grouped.get(piece.service);
    if (list) list.push(piece);
    else grouped.set(piece.service, [piece]);
  }
  return grouped;
}
