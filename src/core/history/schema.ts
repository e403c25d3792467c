/**
 * The history's tables (the same on SQLite and PostgreSQL, names given by the dialect):
 * - rounds: one row per service per round, raw, kept 48 hours (its latency's histogram bin precomputed), indexed by
 *   time alone: rows arrive in time order, so the index grows at its end and a round's write costs the same on day
 *   365 as on day 1 (an index by service first would take random writes all over, the main cost of a round);
 * - latest: each service's last sample (its state now), one row per service, rewritten each round;
 * - check_samples: one row per check per round, raw, kept 48 hours (what failed, and why);
 * - rollups: per service, per hour (kept 90 days) and per day (kept for good): time up, down and quiet, how many
 *   samples of each, exact p50, p95 and max, and the latency histogram that later periods add up;
 * - incidents and runs: what the page lists (opened and resolved; deploys, restarts and rollbacks with who and ref);
 *   on PostgreSQL every run of the team is written there as it starts and ends, which rollback reads;
 * - meta: how far rollups have come.
 */
export function historyTables(table: (name: string) => string, bigint: string): string[] {
  return [
    `create table if not exists ${table('rounds')} (service text not null, at ${bigint} not null, ok integer not null, latency_ms integer not null, bin integer not null, quiet text, span_ms ${bigint} not null)`,
    `create index if not exists ${table('rounds').replace(/^.*\./, '')}_at on ${table('rounds')} (at)`,
    `create table if not exists ${table('latest')} (service text primary key, at ${bigint} not null, ok integer not null, latency_ms integer not null, quiet text)`,
    `create table if not exists ${table('check_samples')} (service text not null, name text not null, at ${bigint} not null, ok integer not null, latency_ms integer not null, detail text)`,
    `create index if not exists ${table('check_samples').replace(/^.*\./, '')}_at on ${table('check_samples')} (at)`,
    `create table if not exists ${table('rollups')} (resolution text not null, service text not null, start ${bigint} not null, up_ms ${bigint} not null, down_ms ${bigint} not null, quiet_ms ${bigint} not null, up_n integer not null, down_n integer not null, quiet_n integer not null, p50 double precision, p95 double precision, max double precision, hist text, primary key (resolution, start, service))`,
    `create table if not exists ${table('incidents')} (id text primary key, service text not null, started ${bigint} not null, ended ${bigint}, summary text, began text)`,
    `create index if not exists ${table('incidents').replace(/^.*\./, '')}_started on ${table('incidents')} (started)`,
    `create table if not exists ${table('runs')} (entry text primary key, service text not null, verb text not null, ref text, who text, started ${bigint} not null, ended ${bigint}, outcome text, rollback_of text)`,
    `create index if not exists ${table('runs').replace(/^.*\./, '')}_started on ${table('runs')} (started)`,
    `create table if not exists ${table('meta')} (key text primary key, value ${bigint} not null)`,
  ];
}
