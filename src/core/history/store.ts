import {binOf, decodeHistogram, encodeHistogram, exactPercentile, histogramOf, type SparseHistogram} from './latency.js';
import type {Sql} from './sql.js';

/** Raw samples are kept this long; hourly rollups 90 days; daily ones for good. */
export const RAW_KEPT_MS = 48 * 3_600_000;
export const HOURLY_KEPT_MS = 90 * 86_400_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Rows per insert statement: few calls per round, and well within any database's limit on parameters. */
const ROWS_PER_INSERT = 100;
/** Raw samples are read in pieces this long (a page over many services reads a few thousand rows, not every sample). */
const RAW_PIECE_MS = 10 * 60_000;

/** One service in one round, as the watcher saw it. */
export interface RoundSample {
  service: string;
  ok: boolean;
  latencyMs: number;
  /** Quiet (a deploy, a silence, a window): its kind; such time is shown apart, never counted as down. */
  quiet?: string;
  /** The time this sample stands for: the service's interval. */
  spanMs: number;
  checks: {name: string; ok: boolean; latencyMs: number; detail: string}[];
}

/** What a stretch of time holds for one service: time up, down, quiet, and no data; samples; response times. */
export interface Piece {
  service: string;
  start: number;
  end: number;
  upMs: number;
  downMs: number;
  quietMs: number;
  upN: number;
  downN: number;
  quietN: number;
  max: number | null;
  histogram: SparseHistogram;
}

export interface IncidentRow {
  id: string;
  service: string;
  started: number;
  ended?: number;
  summary?: string;
  began?: string;
}

export interface RunRow {
  entry: string;
  service: string;
  verb: string;
  ref?: string;
  who?: string;
  started: number;
  ended?: number;
  outcome?: string;
  /** A rollback: the deploy it undid. */
  rollbackOf?: string;
}

const floorTo = (at: number, size: number) => Math.floor(at / size) * size;

/** Ranges that touch, as one. */
function merge(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * The watcher's samples, kept cheaply for years: raw for 48 hours, then rolled up per hour (90 days) and per day
 * (for good), each rollup with its time up, down and quiet, its counts and its latency percentiles. Rollups are
 * made from the raw samples as each hour and day completes, so a round's cost stays the same on the first day
 * and the three-hundred-and-sixty-fifth. Time when no watcher ran has no samples: it is "no data", never up.
 */
export class HistoryStore {
  constructor(readonly sql: Sql) {}

  private t(name: string): string {
    return this.sql.table(name);
  }

  /** One round's samples, written together: a few statements of many rows each, whatever the number of services. */
  async record(at: number, samples: readonly RoundSample[]): Promise<void> {
    if (samples.length === 0) return;
    const rounds = samples.map((sample) => [sample.service, at, sample.ok ? 1 : 0, Math.round(sample.latencyMs), binOf(sample.latencyMs), sample.quiet ?? null, Math.round(sample.spanMs)]);
    // One row per service in a statement (a database refuses to change a row twice in one upsert): the last wins.
    const latest = [...new Map(samples.map((sample) => [sample.service, [sample.service, at, sample.ok ? 1 : 0, Math.round(sample.latencyMs), sample.quiet ?? null]])).values()];
    const checks = samples.flatMap((sample) => sample.checks.map((check) => [sample.service, check.name.slice(0, 200), at, check.ok ? 1 : 0, Math.round(check.latencyMs), check.detail.slice(0, 200)]));
    await this.sql.transaction(async () => {
      await this.insertRows('rounds', '(service, at, ok, latency_ms, bin, quiet, span_ms)', rounds);
      await this.insertRows('check_samples', '(service, name, at, ok, latency_ms, detail)', checks);
      await this.insertRows('latest', '(service, at, ok, latency_ms, quiet)', latest, ' on conflict (service) do update set at = excluded.at, ok = excluded.ok, latency_ms = excluded.latency_ms, quiet = excluded.quiet');
    });
  }

  /** Rows inserted a hundred at a time (one statement each: a round costs a few calls, not one per sample). */
  private async insertRows(table: string, columns: string, rows: unknown[][], onConflict = ''): Promise<void> {
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
      const chunk = rows.slice(from, from + ROWS_PER_INSERT);
      const placeholders = `(${chunk[0].map(() => '?').join(', ')})`;
      await this.sql.run(`insert into ${this.t(table)} ${columns} values ${chunk.map(() => placeholders).join(', ')}${onConflict}`, chunk.flat());
    }
  }

  async meta(key: string): Promise<number | undefined> {
    const [row] = await this.sql.all<{value: number | string}>(`select value from ${this.t('meta')} where key = ?`, [key]);
    return row === undefined ? undefined : Number(row.value);
  }

  private async setMeta(key: string, value: number): Promise<void> {
    await this.sql.run(`insert into ${this.t('meta')} (key, value) values (?, ?) on conflict (key) do update set value = excluded.value`, [key, value]);
  }

  /**
   * Rolls up every hour and day that has ended since the last time (from the raw samples), then lets go of what is
   * past its keeping. Called each round: it does work only when an hour has ended.
   */
  async maintain(now: number): Promise<void> {
    const currentHour = floorTo(now, HOUR_MS);
    const lastHour = await this.meta('rolled_hour');
    if (lastHour !== undefined && lastHour >= currentHour) return;
    const [first] = await this.sql.all<{at: number | string | null}>(`select min(at) as at from ${this.t('rounds')}`);
    if (first?.at === null || first?.at === undefined) {
      await this.setMeta('rolled_hour', currentHour);
      return;
    }
    await this.sql.transaction(async () => {
      const fromHour = Math.max(lastHour ?? floorTo(Number(first.at), HOUR_MS), floorTo(Number(first.at), HOUR_MS));
      for (let hour = fromHour; hour < currentHour; hour += HOUR_MS) await this.rollUp('h', hour, HOUR_MS);
      const currentDay = floorTo(now, DAY_MS);
      const lastDay = (await this.meta('rolled_day')) ?? floorTo(Number(first.at), DAY_MS);
      for (let day = Math.max(lastDay, floorTo(Number(first.at), DAY_MS)); day < currentDay; day += DAY_MS) await this.rollUp('d', day, DAY_MS);
      await this.setMeta('rolled_hour', currentHour);
      await this.setMeta('rolled_day', currentDay);
      // Raw samples go once both of their rollups are made, and not before 48 hours.
      const keepRaw = Math.min(floorTo(now - RAW_KEPT_MS, HOUR_MS), currentDay);
      await this.sql.run(`delete from ${this.t('rounds')} where at < ?`, [keepRaw]);
      await this.sql.run(`delete from ${this.t('check_samples')} where at < ?`, [keepRaw]);
      await this.sql.run(`delete from ${this.t('rollups')} where resolution = 'h' and start < ?`, [now - HOURLY_KEPT_MS]);
    });
  }

  /** One hour's (or day's) samples of every service, summed up, with exact percentiles. */
  private async rollUp(resolution: 'h' | 'd', start: number, size: number): Promise<void> {
    const rows = await this.sql.all<{service: string; ok: number; latency_ms: number; quiet: string | null; span_ms: number | string}>(
      `select service, ok, latency_ms, quiet, span_ms from ${this.t('rounds')} where at >= ? and at < ? order by service`,
      [start, start + size],
    );
    const byService = new Map<string, typeof rows>();
    for (const row of rows) {
      const list = byService.get(row.service);
      if (list) list.push(row);
      else byService.set(row.service, [row]);
    }
    for (const [service, samples] of byService) {
      let upMs = 0;
      let downMs = 0;
      let quietMs = 0;
      let upN = 0;
      let downN = 0;
      let quietN = 0;
      const latencies: number[] = [];
      for (const sample of samples) {
        const span = Number(sample.span_ms);
        if (sample.quiet) {
          quietMs += span;
          quietN++;
        } else if (sample.ok) {
          upMs += span;
          upN++;
          latencies.push(sample.latency_ms);
        } else {
          downMs += span;
          downN++;
          latencies.push(sample.latency_ms);
        }
      }
      // A sample stands for its interval: the last ones of a bucket may reach past it; never more than the bucket.
      const covered = upMs + downMs + quietMs;
      const scale = covered > size ? size / covered : 1;
      latencies.sort((a, b) => a - b);
      await this.sql.run(
        `insert into ${this.t('rollups')} (resolution, service, start, up_ms, down_ms, quiet_ms, up_n, down_n, quiet_n, p50, p95, max, hist) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (resolution, service, start) do update set up_ms = excluded.up_ms, down_ms = excluded.down_ms, quiet_ms = excluded.quiet_ms, up_n = excluded.up_n, down_n = excluded.down_n, quiet_n = excluded.quiet_n, p50 = excluded.p50, p95 = excluded.p95, max = excluded.max, hist = excluded.hist`,
        [resolution, service, start, Math.round(upMs * scale), Math.round(downMs * scale), Math.round(quietMs * scale), upN, downN, quietN, exactPercentile(latencies, 50), exactPercentile(latencies, 95), latencies.at(-1) ?? null, encodeHistogram(histogramOf(latencies))],
      );
    }
  }

  /**
   * What the store holds about these services from `from` to `to`, at the coarsest exact grain: daily rollups for
   * whole days, hourly ones for whole hours around them, raw samples for the hours not yet rolled up (the current
   * one) and for a period's first partial hour while they are kept. A piece that reaches past the period counts
   * for the part inside (figures.ts); past the hourly rollups' 90 days, that is a day's.
   */
  async pieces(services: readonly string[] | undefined, from: number, to: number, now: number, options: {hourly?: boolean} = {}): Promise<Piece[]> {
    if (!(from < to)) return [];
    const only = services ? ` and service in (${services.map(() => '?').join(', ') || "''"})` : '';
    const params = services ?? [];
    const oldestRaw = (await this.oldestRaw()) ?? Number.POSITIVE_INFINITY;
    const rolledHour = Math.min((await this.meta('rolled_hour')) ?? Number.NEGATIVE_INFINITY, floorTo(now, HOUR_MS));
    const rolledDay = Math.min((await this.meta('rolled_day')) ?? Number.NEGATIVE_INFINITY, floorTo(now, DAY_MS));
    const raw: [number, number][] = [];
    const hourly: [number, number][] = [];
    const daily: [number, number][] = [];
    // Not rolled up yet (the current hour): raw.
    const rawFrom = Math.max(from, Math.min(rolledHour, to));
    if (rawFrom < to) raw.push([rawFrom, to]);
    const rolledTo = Math.min(to, rolledHour);
    let at = from;
    // The first partial hour: raw while kept, else its hour's rollup.
    if (at < rolledTo && at % HOUR_MS !== 0) {
      const edge = Math.min(Math.ceil(at / HOUR_MS) * HOUR_MS, rolledTo);
      (at >= oldestRaw ? raw : hourly).push([at, edge]);
      at = edge;
    }
    const hoursKept = now - HOURLY_KEPT_MS + HOUR_MS;
    while (at < rolledTo) {
      const dayStart = floorTo(at, DAY_MS);
      const dayEnd = dayStart + DAY_MS;
      if (at === dayStart && dayEnd <= Math.min(rolledTo, rolledDay) && !(options.hourly && at >= hoursKept)) {
        daily.push([at, dayEnd]);
        at = dayEnd;
      } else if (at >= hoursKept) {
        const end = Math.min(dayEnd, rolledTo);
        hourly.push([at, end]);
        at = end;
      } else {
        // Older than the hours kept: the day's rollup, counted in part.
        daily.push([dayStart, dayEnd]);
        at = Math.min(dayEnd, rolledTo);
      }
    }
    const pieces: Piece[] = [];
    for (const [start, end] of merge(daily)) pieces.push(...(await this.rollups('d', start, end, only, params)));
    for (const [start, end] of merge(hourly)) pieces.push(...(await this.rollups('h', start, end, only, params)));
    for (const [start, end] of merge(raw)) pieces.push(...(await this.rawPieces(start, end, only, params)));
    return pieces;
  }

  private async oldestRaw(): Promise<number | undefined> {
    const [row] = await this.sql.all<{at: number | string | null}>(`select min(at) as at from ${this.t('rounds')}`);
    return row?.at === null || row?.at === undefined ? undefined : floorTo(Number(row.at), HOUR_MS);
  }

  private async rollups(resolution: 'h' | 'd', from: number, to: number, only: string, params: readonly string[]): Promise<Piece[]> {
    if (!(from < to)) return [];
    const size = resolution === 'h' ? HOUR_MS : DAY_MS;
    const rows = await this.sql.all<{service: string; start: number | string; up_ms: number | string; down_ms: number | string; quiet_ms: number | string; up_n: number; down_n: number; quiet_n: number; max: number | null; hist: string | null}>(
      `select service, start, up_ms, down_ms, quiet_ms, up_n, down_n, quiet_n, max, hist from ${this.t('rollups')} where resolution = ? and start >= ? and start < ?${only}`,
      [resolution, floorTo(from, size), to, ...params],
    );
    return rows.map((row) => ({
      service: row.service,
      start: Number(row.start),
      end: Number(row.start) + size,
      upMs: Number(row.up_ms),
      downMs: Number(row.down_ms),
      quietMs: Number(row.quiet_ms),
      upN: row.up_n,
      downN: row.down_n,
      quietN: row.quiet_n,
      max: row.max,
      histogram: decodeHistogram(row.hist),
    }));
  }

  private async rawPieces(from: number, to: number, only: string, params: readonly string[]): Promise<Piece[]> {
    // Integer division on both databases: the start of each sample's ten-minute piece.
    const bucket = `(at / ${RAW_PIECE_MS}) * ${RAW_PIECE_MS}`;
    const rows = await this.sql.all<{service: string; piece: number | string; bin: number; ok: number; quiet: number; n: number | string; span: number | string; max: number | null}>(
      `select service, ${bucket} as piece, bin, ok, case when quiet is null then 0 else 1 end as quiet, count(*) as n, sum(span_ms) as span, max(latency_ms) as max
       from ${this.t('rounds')} where at >= ? and at < ?${only} group by service, ${bucket}, bin, ok, case when quiet is null then 0 else 1 end`,
      [from, to, ...params],
    );
    const pieces = new Map<string, Piece>();
    for (const row of rows) {
      const start = Number(row.piece);
      const key = `${row.service}\u0000${start}`;
      let piece = pieces.get(key);
      if (!piece) {
        // Only the samples from `from` to `to` were read: the piece stands for that part of its ten minutes.
        piece = {service: row.service, start: Math.max(start, from), end: Math.min(start + RAW_PIECE_MS, to), upMs: 0, downMs: 0, quietMs: 0, upN: 0, downN: 0, quietN: 0, max: null, histogram: []};
        pieces.set(key, piece);
      }
      const n = Number(row.n);
      const span = Number(row.span);
      if (row.quiet) {
        piece.quietMs += span;
        piece.quietN += n;
        continue;
      }
      if (row.ok) {
        piece.upMs += span;
        piece.upN += n;
      } else {
        piece.downMs += span;
        piece.downN += n;
      }
      piece.histogram.push(row.bin, n);
      piece.max = Math.max(piece.max ?? 0, row.max ?? 0);
    }
    for (const piece of pieces.values()) {
      const covered = piece.upMs + piece.downMs + piece.quietMs;
      const size = piece.end - piece.start;
      if (covered > size) {
        const scale = size / covered;
        piece.upMs *= scale;
        piece.downMs *= scale;
        piece.quietMs *= scale;
      }
    }
    return [...pieces.values()];
  }

  /** The last sample of each service (its state now, as far as the store knows). */
  async latest(services?: readonly string[]): Promise<Map<string, {at: number; ok: boolean; quiet?: string; latencyMs: number}>> {
    const only = services ? ` where service in (${services.map(() => '?').join(', ') || "''"})` : '';
    const rows = await this.sql.all<{service: string; at: number | string; ok: number; quiet: string | null; latency_ms: number}>(
      `select service, at, ok, quiet, latency_ms from ${this.t('latest')}${only}`,
      services ?? [],
    );
    return new Map(rows.map((row) => [row.service, {at: Number(row.at), ok: row.ok === 1, ...(row.quiet ? {quiet: row.quiet} : {}), latencyMs: row.latency_ms}]));
  }

  /** The failing checks of a service's last sample, with what they said. */
  async failingChecks(service: string, at: number): Promise<{name: string; detail: string}[]> {
    return this.sql.all<{name: string; detail: string}>(`select name, detail from ${this.t('check_samples')} where service = ? and at = ? and ok = 0`, [service, at]);
  }

  async saveIncident(incident: IncidentRow): Promise<void> {
    await this.sql.run(
      `insert into ${this.t('incidents')} (id, service, started, ended, summary, began) values (?, ?, ?, ?, ?, ?)
       on conflict (id) do update set ended = excluded.ended, summary = coalesce(excluded.summary, ${this.t('incidents')}.summary), began = coalesce(excluded.began, ${this.t('incidents')}.began)`,
      [incident.id, incident.service, incident.started, incident.ended ?? null, incident.summary ?? null, incident.began ?? null],
    );
  }

  /** Incidents that overlap [from, to), newest first (open ones included). */
  async incidents(from: number, to: number, services?: readonly string[], limit = 1000): Promise<IncidentRow[]> {
    const only = services ? ` and service in (${services.map(() => '?').join(', ') || "''"})` : '';
    const rows = await this.sql.all<{id: string; service: string; started: number | string; ended: number | string | null; summary: string | null; began: string | null}>(
      `select id, service, started, ended, summary, began from ${this.t('incidents')} where started < ? and (ended is null or ended >= ?)${only} order by started desc limit ${Math.max(1, Math.floor(limit))}`,
      [to, from, ...(services ?? [])],
    );
    return rows.map((row) => ({id: row.id, service: row.service, started: Number(row.started), ...(row.ended === null ? {} : {ended: Number(row.ended)}), ...(row.summary ? {summary: row.summary} : {}), ...(row.began ? {began: row.began} : {})}));
  }

  async saveRun(run: RunRow): Promise<void> {
    await this.sql.run(
      `insert into ${this.t('runs')} (entry, service, verb, ref, who, started, ended, outcome, rollback_of) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (entry) do update set ended = coalesce(excluded.ended, ${this.t('runs')}.ended), outcome = coalesce(excluded.outcome, ${this.t('runs')}.outcome)`,
      [run.entry, run.service, run.verb, run.ref ?? null, run.who ?? null, run.started, run.ended ?? null, run.outcome ?? null, run.rollbackOf ?? null],
    );
  }

  /** The latest deploys, restarts and rollbacks, newest first. */
  async runs(limit: number, services?: readonly string[]): Promise<RunRow[]> {
    const only = services ? ` where service in (${services.map(() => '?').join(', ') || "''"})` : '';
    const rows = await this.sql.all<{entry: string; service: string; verb: string; ref: string | null; who: string | null; started: number | string; ended: number | string | null; outcome: string | null; rollback_of: string | null}>(
      `select entry, service, verb, ref, who, started, ended, outcome, rollback_of from ${this.t('runs')}${only} order by started desc limit ${Math.max(1, Math.floor(limit))}`,
      services ?? [],
    );
    return rows.map((row) => ({entry: row.entry, service: row.service, verb: row.verb, started: Number(row.started), ...(row.ref ? {ref: row.ref} : {}), ...(row.who ? {who: row.who} : {}), ...(row.ended === null ? {} : {ended: Number(row.ended)}), ...(row.outcome ? {outcome: row.outcome} : {}), ...(row.rollback_of ? {rollbackOf: row.rollback_of} : {})}));
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

