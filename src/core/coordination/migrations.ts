import {historyTables} from '../history/schema.js';

/**
 * foggy's tables, in a schema of its own, each version applied once (foggy.schema_migrations records which).
 * A new version is appended, never edited: databases in use have run the old ones.
 */
export const MIGRATIONS: {version: number; sql: string}[] = [
  {
    version: 1,
    sql: `
      -- Fencing tokens: every grant of a lease takes the next one, so a later holder always has a larger token.
      create sequence foggy.fencing_tokens;
      -- Arrival order of those waiting for a lease.
      create sequence foggy.queue_tickets;
      create table foggy.leases (
        name text primary key,
        owner text not null,
        holder jsonb not null,
        token bigint not null,
        acquired_at timestamptz not null default now(),
        renewed_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create table foggy.lease_queue (
        name text not null,
        owner text not null,
        holder jsonb not null,
        ticket bigint not null,
        expires_at timestamptz not null,
        primary key (name, owner)
      );
      -- Chat deliveries taken (envelope and event ids), shared by every foggy serve.
      create table foggy.seen_triggers (
        id text primary key,
        expires_at timestamptz not null
      );
      create index seen_triggers_expiry on foggy.seen_triggers (expires_at);
      -- Chat confirmations: single-use across every foggy serve.
      create table foggy.confirmations (
        id text primary key,
        state text not null,
        record jsonb not null,
        updated_at timestamptz not null default now()
      );
      -- The active watcher's open incidents, so that the one taking over edits their messages.
      create table foggy.open_incidents (
        service text primary key,
        entry jsonb not null,
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- What quiets the watcher, shared by the team: deploys and restarts as they start and end, silences as
      -- they are set, ended and told (src/core/quiet/events.ts). Read back a few days at most.
      create table foggy.quiet_events (
        seq bigserial primary key,
        at timestamptz not null default now(),
        event jsonb not null
      );
      create index quiet_events_at on foggy.quiet_events (at);
    `,
  },
  {
    version: 3,
    // The watcher's samples and their rollups, the incidents and runs the status page lists (src/core/history/).
    sql: historyTables((name) => `foggy.history_${name}`, 'bigint').join(';\n'),
  },
];
