import {addBins, emptyHistogram, histogramPercentile} from './latency.js';
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

/** Where a period's bins are added up (read out before the next period): one array, not one per period. */
const scratch = emptyHistogram();

/** A piece is at most a day long: a period's pieces start less than a day before it. */
const LONGEST_PIECE_MS = 86_400_000;

/**
 * One service's pieces, in order of start, read for many periods (4 windows, 90 days, 168 hours): each period
 * looks only at the pieces that can overlap it, found by bisection.
 */
export class ServicePieces {
  private readonly pieces: Piece[];

  constructor(pieces: readonly Piece[]) {
    this.pieces = [...pieces].sort((a, b) => a.start - b.start);
  }

  figures(from: number, to: number): Figures {
    let upMs = 0;
    let downMs = 0;
    let quietMs = 0;
    const samples = {up: 0, down: 0, quiet: 0};
    let maxMs: number | null = null;
    const histogram = scratch.fill(0);
    for (let i = this.firstFrom(from - LONGEST_PIECE_MS); i < this.pieces.length && this.pieces[i].start < to; i++) {
      const piece = this.pieces[i];
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
      addBins(histogram, piece.histogram, part);
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

  /** The index of the first piece starting at or after `at`. */
  private firstFrom(at: number): number {
    let low = 0;
    let high = this.pieces.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.pieces[middle].start < at) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export function figuresOf(pieces: readonly Piece[], from: number, to: number): Figures {
  return new ServicePieces(pieces).figures(from, to);
}

/** Pieces by service, each service's ready to be read for many periods. */
export function byService(pieces: readonly Piece[]): Map<string, ServicePieces> {
  const grouped = new Map<string, Piece[]>();
  for (const piece of pieces) {
    const list = grouped.get(piece.service);
    if (list) list.push(piece);
    else grouped.set(piece.service, [piece]);
  }
  return new Map([...grouped].map(([service, list]) => [service, new ServicePieces(list)]));
}
