import {randomUUID} from 'node:crypto';
import {hostname} from 'node:os';
import {localUser} from '../platform/local-user.js';
import type {Database} from './database.js';

/**
 * Leases in PostgreSQL: a row per name (a service's deploy lock, the active watcher), taken atomically,
 * expiring on the database's clock (so the hosts' clocks never matter), renewed by its holder, and granted
 * with a fencing token from a sequence, larger for every later grant. Those waiting queue by ticket and are
 * served in arrival order.
 */

/** Who holds a lease, as a refusal names them (the same words as the local lock's holder). */
export interface LeaseHolder {
  user: string;
  host: string;
  pid: number;
  since: string;
  what?: string;
  entry?: string;
  /** terminal, ci, chat or watch. */
  frontEnd?: string;
}

export function leaseHolder(details: {what?: string; entry?: string; frontEnd?: string}): LeaseHolder {
  return {user: localUser(), host: hostname(), pid: process.pid, since: new Date().toISOString(), ...details};
}

export function newOwner(): string {
  return randomUUID();
}

export type Grant = {acquired: true; token: number} | {acquired: false; holder?: LeaseHolder; remainingMs?: number};

const MS = `make_interval(secs => $4::double precision / 1000)`;

/**
 * Takes the lease when it is free, expired, or already ours, and nobody queued before `ticket` is still
 * waiting; else says who holds it. One statement: two takers cannot both win.
 */
export async function tryAcquire(db: Database, request: {name: string; owner: string; holder: LeaseHolder; ttlMs: number; ticket?: number}): Promise<Grant> {
  const rows = await db.query<{token: string}>(
    `insert into foggy.leases as l (name, owner, holder, token, acquired_at, renewed_at, expires_at)
     select $1, $2, $3::jsonb, nextval('foggy.fencing_tokens'), now(), now(), now() + ${MS}
     where not exists (
       select 1 from foggy.lease_queue q
       where q.name = $1 and q.owner <> $2 and q.expires_at > now() and q.ticket < coalesce($5::bigint, 9223372036854775807)
     )
     on conflict (name) do update
       set owner = excluded.owner, holder = excluded.holder, token = excluded.token,
           acquired_at = now(), renewed_at = now(), expires_at = excluded.expires_at
       where l.expires_at <= now() or l.owner = excluded.owner
     returning token`,
    [request.name, request.owner, JSON.stringify(request.holder), request.ttlMs, request.ticket ?? null],
  );
  if (rows.length > 0) return {acquired: true, token: Number(rows[0].token)};
  return {acquired: false, ...(await currentHolder(db, request.name))};
}

/** Who holds it now (or, when it is between holders, who is first in line), and for how much longer at most. */
export async function currentHolder(db: Database, name: string): Promise<{holder?: LeaseHolder; remainingMs?: number; token?: number}> {
  const [held] = await db.query<{holder: unknown; remaining: number; token: string}>(
    `select holder, extract(epoch from (expires_at - now())) * 1000 as remaining, token from foggy.leases where name = $1 and expires_at > now()`,
    [name],
  );
  if (held) return {holder: holderFrom(held.holder), remainingMs: Math.max(0, Number(held.remaining)), token: Number(held.token)};
  const [next] = await db.query<{holder: unknown}>(`select holder from foggy.lease_queue where name = $1 and expires_at > now() order by ticket limit 1`, [name]);
  return next ? {holder: holderFrom(next.holder)} : {};
}

/** Still ours: the expiry pushed back. False when it is not ours any more (taken over after it expired, or edited). */
export async function renew(db: Database, request: {name: string; owner: string; token: number; ttlMs: number}): Promise<boolean> {
  const rows = await db.query(
    `update foggy.leases set renewed_at = now(), expires_at = now() + make_interval(secs => $4::double precision / 1000)
     where name = $1 and owner = $2 and token = $3 returning name`,
    [request.name, request.owner, request.token, request.ttlMs],
  );
  return rows.length > 0;
}

export async function release(db: Database, request: {name: string; owner: string; token: number}): Promise<void> {
  await db.query(`delete from foggy.leases where name = $1 and owner = $2 and token = $3`, [request.name, request.owner, request.token]);
  await db.query(`select pg_notify('foggy_leases', $1)`, [request.name]);
}

/** In line for a lease: the ticket is the place; the row lives while the waiter refreshes it. */
export async function enqueue(db: Database, request: {name: string; owner: string; holder: LeaseHolder; ttlMs: number}): Promise<number> {
  const [row] = await db.query<{ticket: string}>(
    `insert into foggy.lease_queue (name, owner, holder, ticket, expires_at)
     values ($1, $2, $3::jsonb, nextval('foggy.queue_tickets'), now() + make_interval(secs => $4::double precision / 1000))
     on conflict (name, owner) do update set expires_at = excluded.expires_at
     returning ticket`,
    [request.name, request.owner, JSON.stringify(request.holder), request.ttlMs],
  );
  return Number(row.ticket);
}

export async function dequeue(db: Database, request: {name: string; owner: string}): Promise<void> {
  await db.query(`delete from foggy.lease_queue where name = $1 and owner = $2`, [request.name, request.owner]);
}

/** A row edited by hand may hold anything: what it says is shown only when it has the expected shape. */
function holderFrom(value: unknown): LeaseHolder | undefined {
  const holder = (typeof value === 'string' ? safeParse(value) : value) as Partial<LeaseHolder> | undefined;
  if (!holder || typeof holder !== 'object' || typeof holder.user !== 'string' || typeof holder.host !== 'string') return undefined;
  return {
    user: holder.user.slice(0, 100),
    host: holder.host.slice(0, 200),
    pid: Number.isSafeInteger(holder.pid) ? (holder.pid as number) : 0,
    since: typeof holder.since === 'string' && !Number.isNaN(Date.parse(holder.since)) ? holder.since : new Date(0).toISOString(),
    what: typeof holder.what === 'string' ? holder.what.slice(0, 40) : undefined,
    entry: typeof holder.entry === 'string' ? holder.entry.slice(0, 80) : undefined,
    frontEnd: typeof holder.frontEnd === 'string' ? holder.frontEnd.slice(0, 40) : undefined,
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
