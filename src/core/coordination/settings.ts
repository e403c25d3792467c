import type {Catalog} from '../catalog/types.js';
import {expandVariables} from '../catalog/variables.js';
import {boundedDuration} from '../text/bounded-duration.js';
import {usageError} from '../errors/foggy-error.js';

/** How long a lease outlives a holder that stopped renewing it. */
export const DEFAULT_LEASE_TTL_MS = 2 * 60_000;

export type Coordination =
  | {kind: 'local'}
  | {
      kind: 'postgres';
      url: string;
      /** The URL as it may be shown: the password replaced. */
      shown: string;
      ttlMs: number;
      fallback: 'refuse' | 'local';
    };

/**
 * Where locks and shared memory live: this machine (the default, nothing to configure), or PostgreSQL when a
 * team opts in with FOGGY_DATABASE_URL or `coordination: {postgres: …}` in foggy.yml (the environment wins).
 */
export function coordinationOf(env: NodeJS.ProcessEnv, catalog: Pick<Catalog, 'coordination'> | undefined): Coordination {
  const configured = catalog?.coordination;
  let url = env.FOGGY_DATABASE_URL?.trim();
  if (!url && configured?.postgres) {
    try {
      url = expandVariables(configured.postgres, env).trim();
    } catch (error) {
      throw usageError(`coordination.postgres in foggy.yml: ${(error as Error).message}.`, 'Set FOGGY_DATABASE_URL to the team\'s PostgreSQL URL, or give a default (${FOGGY_DATABASE_URL:-}) to run without it.');
    }
  }
  if (!url) return {kind: 'local'};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError('The coordination database URL is not a URL (expected postgres://user:password@host:5432/database).');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw usageError(`The coordination database URL must be postgres:// or postgresql://, not ${parsed.protocol}//.`);
  const ttlMs = env.FOGGY_LOCK_TTL
    ? boundedDuration('FOGGY_LOCK_TTL', env.FOGGY_LOCK_TTL, {min: 1000})
    : (configured?.ttlMs ?? DEFAULT_LEASE_TTL_MS);
  if (ttlMs < 1000) throw usageError('coordination.ttl: at least 1s (a lease is renewed a few times within it).');
  return {kind: 'postgres', url, shown: shownUrl(parsed), ttlMs, fallback: configured?.fallback ?? 'refuse'};
}

/** postgres://foggy:***@db:5432/foggy?sslmode=require: the password never shown. */
export function shownUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
