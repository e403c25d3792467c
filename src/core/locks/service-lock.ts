import {join} from 'node:path';
import type {ActionVerb} from '../catalog/types.js';
import type {Coordination} from '../coordination/settings.js';
import {acquireLock, type LockHolder} from './pid-lock.js';

/**
 * One deploy or restart of a service at a time on this machine: two people (or two CI jobs on one runner)
 * running `foggy deploy web` at once would otherwise race each other's release. The lock names its holder,
 * so the second one is told who is at it and since when; a lock left by a killed process is taken over.
 * `status` never locks. Across machines, the lock is a lease in the team's PostgreSQL (coordination/), when configured.
 */
export function serviceLockFile(stateDir: string, service: string): string {
  return join(stateDir, 'locks', `${service}.lock`);
}

const GERUND: Record<string, string> = {deploy: 'deployed', restart: 'restarted'};

/** "web is being deployed by alice@host (pid 123, since 14:02)". */
export function describeHolder(service: string, holder: LockHolder | undefined, now = new Date()): string {
  if (!holder) return `${service} is locked by another foggy process`;
  const doing = GERUND[holder.what ?? ''] ?? 'worked on';
  return `${service} is being ${doing} by ${holderPhrase(holder, now)}`;
}

/** "alice@host (pid 123, since 14:02)": who holds a lock, and since when (the date too when not today). */
export function holderPhrase(holder: LockHolder, now = new Date()): string {
  const since = new Date(holder.since);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(since.getHours())}:${pad(since.getMinutes())}`;
  const day = since.toDateString() === now.toDateString() ? time : `${since.getFullYear()}-${pad(since.getMonth() + 1)}-${pad(since.getDate())} ${time}`;
  return `${holder.user}@${holder.host} (pid ${holder.pid}, since ${day})`;
}

/** The lock a deploy or restart holds: this machine's, or a lease in the coordination database with its fencing token. */
export interface ServiceLock {
  kind: 'local' | 'postgres';
  /** The fencing token (postgres): larger for every later holder of the service's lock. */
  token?: number;
  /** Why the lease was lost while held, once it was (postgres only). */
  lost(): string | undefined;
  release(): Promise<void>;
}

export type ServiceLockResult =
  | {acquired: true; lock: ServiceLock; note?: string}
  | {acquired: false; message: string; holder?: LockHolder; interrupted: boolean; unreachable?: boolean};

export interface ServiceLockRequest {
  stateDir: string;
  service: string;
  verb: ActionVerb;
  entry: string;
  waitMs: number;
  signal?: AbortSignal;
  onWait?: (message: string) => void;
  /** Where the lock lives: this machine (the default), or the team's database. */
  coordination?: Coordination;
  /** Who asks, for the lease's holder: terminal, ci or chat. */
  frontEnd?: string;
  /** Said when a lease is lost while held. */
  onLost?: (why: string) => void;
}

export async function lockService(options: ServiceLockRequest): Promise<ServiceLockResult> {
  const coordination = options.coordination ?? {kind: 'local'};
  if (coordination.kind === 'local') return lockLocally(options);
  try {
    return await lockShared(options, coordination);
  } catch (error) {
    // The database could not be reached, or went away before the lease was taken.
    const why = (error as Error).message;
    if (coordination.fallback !== 'local') return {acquired: false, message: why, interrupted: false, unreachable: true};
    const local = await lockLocally(options);
    return local.acquired ? {...local, note: `${why}; using this machine's lock instead (coordination.fallback: local).`} : local;
  }
}

async function lockLocally(options: ServiceLockRequest): Promise<ServiceLockResult> {
  const attempt = await acquireLock(serviceLockFile(options.stateDir, options.service), {
    what: options.verb,
    entry: options.entry,
    waitMs: options.waitMs,
    pollMs: 200,
    signal: options.signal,
    onWait: (holder) => options.onWait?.(describeHolder(options.service, holder)),
  });
  if (!attempt.acquired) return {acquired: false, message: describeHolder(options.service, attempt.holder), holder: attempt.holder, interrupted: options.signal?.aborted ?? false};
  const {lock} = attempt;
  return {acquired: true, lock: {kind: 'local', lost: () => undefined, release: async () => lock.release()}};
}

async function lockShared(options: ServiceLockRequest, coordination: Extract<Coordination, {kind: 'postgres'}>): Promise<ServiceLockResult> {
  // Loaded only when a team coordinates through PostgreSQL.
  const [{openDatabase}, {holdLease}, {leaseHolder}] = await Promise.all([import('../coordination/database.js'), import('../coordination/held-lease.js'), import('../coordination/leases.js')]);
  const db = await openDatabase(coordination);
  let attempt: Awaited<ReturnType<typeof holdLease>>;
  try {
    attempt = await holdLease({
      target: coordination,
      db,
      name: `service:${options.service}`,
      holder: leaseHolder({what: options.verb, entry: options.entry, frontEnd: options.frontEnd}),
      ttlMs: coordination.ttlMs,
      waitMs: options.waitMs,
      signal: options.signal,
      onWait: (holder) => options.onWait?.(describeHolder(options.service, holder)),
      onLost: options.onLost,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  if (!attempt.acquired) {
    await db.close();
    return {acquired: false, message: describeHolder(options.service, attempt.holder), holder: attempt.holder, interrupted: attempt.interrupted};
  }
  const {lease} = attempt;
  return {acquired: true, lock: {kind: 'postgres', token: lease.token, lost: () => lease.lost, release: () => lease.release()}};
}
