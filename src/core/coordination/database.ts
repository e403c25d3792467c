import type {Client, ClientConfig} from 'pg';
import {MIGRATIONS} from './migrations.js';

/** Connecting, and each statement: bounded, so an unreachable database costs seconds, never minutes. */
export const CONNECT_TIMEOUT_MS = 5_000;
export const STATEMENT_TIMEOUT_MS = 5_000;

/** The database could not be reached, or refused us: what to say, with the password never in it. */
export class DatabaseUnreachable extends Error {
  constructor(
    readonly shown: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the coordination database ${shown}: ${reason}`);
  }
}

export interface Database {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Calls `onNotify` with the payload of each NOTIFY on `channel`. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
  /** Broken: the connection failed after it was opened (the server restarted, the network went). */
  readonly broken: boolean;
  close(): Promise<void>;
}

/**
 * One connection to the coordination database, with foggy's schema brought up to date on first use.
 * node-postgres is loaded here only: without coordination, no run pays for it.
 */
export async function openDatabase(target: {url: string; shown: string}, options: {connectTimeoutMs?: number; statementTimeoutMs?: number; name?: string} = {}): Promise<Database> {
  const {default: pg} = await import('pg');
  const statementTimeoutMs = options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS;
  const config: ClientConfig = {
    connectionString: target.url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    // A statement the server never answers (a frozen host) is given up on the client's side too.
    query_timeout: statementTimeoutMs + 1_000,
    application_name: options.name ?? 'foggy',
    keepAlive: true,
  };
  const client: Client = new pg.Client(config);
  let broken = false;
  // After connecting, a failed connection is an 'error' event: without a listener it would end the process.
  client.on('error', () => {
    broken = true;
  });
  client.on('end', () => {
    broken = true;
  });
  try {
    await client.connect();
    await migrate(client);
  } catch (error) {
    await client.end().catch(() => {});
    throw new DatabaseUnreachable(target.shown, describePgError(error, target.url));
  }
  const handlers = new Map<string, (payload: string) => void>();
  client.on('notification', (message) => handlers.get(message.channel)?.(message.payload ?? ''));
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      try {
        return (await client.query(sql, params)).rows as T[];
      } catch (error) {
        if (isConnectionError(error)) broken = true;
        throw new DatabaseUnreachable(target.shown, describePgError(error, target.url));
      }
    },
    async listen(channel, onNotify) {
      handlers.set(channel, onNotify);
      await client.query(`listen ${channel}`);
    },
    get broken() {
      return broken;
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

/** Applied in order, each once, under a lock: many processes may start on a new database at the same moment. */
async function migrate(client: Client): Promise<void> {
  const latest = MIGRATIONS.at(-1)!.version;
  try {
    const [row] = (await client.query<{version: number | null}>('select max(version) as version from foggy.schema_migrations')).rows;
    if ((row?.version ?? 0) >= latest) return;
  } catch (error) {
    // No schema yet (42P01: undefined table, 3F000: undefined schema): created below.
    if (!['42P01', '3F000'].includes((error as {code?: string}).code ?? '')) throw error;
  }
  await client.query('begin');
  try {
    await client.query('select pg_advisory_xact_lock(7264826533)');
    await client.query('create schema if not exists foggy');
    await client.query('create table if not exists foggy.schema_migrations (version integer primary key, applied_at timestamptz not null default now())');
    const [row] = (await client.query<{version: number | null}>('select max(version) as version from foggy.schema_migrations')).rows;
    for (const migration of MIGRATIONS.filter((m) => m.version > (row?.version ?? 0))) {
      await client.query(migration.sql);
      await client.query('insert into foggy.schema_migrations (version) values ($1)', [migration.version]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as {code?: string}).code ?? '';
  return /^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|57P0|08)/.test(code) || /Connection terminated|not queryable|timeout/i.test((error as Error).message ?? '');
}

/** One line: the server's or the network's words, never the password. */
export function describePgError(error: unknown, url: string): string {
  const code = (error as {code?: string}).code;
  let message = (error as Error)?.message ?? String(error);
  try {
    const password = new URL(url).password;
    if (password) message = message.replaceAll(password, '***').replaceAll(decodeURIComponent(password), '***');
  } catch {
    // Not a URL: nothing to hide in it.
  }
  message = message.split('\n')[0];
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'no such host';
  if (/timeout/i.test(message)) return 'timed out';
  if (code === '28P01') return 'password authentication failed';
  // The server's max_connections, or a role's connection limit: the server's words say which.
  if (code === '53300') return `too many connections (${message})`;
  if (code === '3D000') return message;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
