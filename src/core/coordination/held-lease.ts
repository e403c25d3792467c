import {sleep} from '../platform/sleep.js';
import {openDatabase, type Database} from './database.js';
import {dequeue, enqueue, newOwner, release, renew, tryAcquire, type LeaseHolder} from './leases.js';

/** How often a waiter looks again when no notification woke it; jittered, so waiters do not all ask at once. */
const POLL_MS = 200;
/** A waiter's place in line lapses this long after it stops refreshing it (it died). */
const QUEUE_TTL_MS = 5_000;

export interface HeldLease {
  readonly name: string;
  readonly token: number;
  /** Why the lease was lost while held (renewal refused, or impossible for longer than its TTL), once it was. */
  readonly lost: string | undefined;
  /** Released (and the connection closed); a lost lease is only forgotten. */
  release(): Promise<void>;
}

export type LeaseAttempt = {acquired: true; lease: HeldLease} | {acquired: false; holder?: LeaseHolder; interrupted: boolean};

export interface LeaseRequest {
  target: {url: string; shown: string};
  /** An open connection to use (and keep, while the lease is held). */
  db: Database;
  name: string;
  holder: LeaseHolder;
  ttlMs: number;
  /** How long to wait in line; 0: one attempt. */
  waitMs: number;
  signal?: AbortSignal;
  onWait?: (holder: LeaseHolder | undefined) => void;
  /** Said once, when the lease is lost while held. */
  onLost?: (why: string) => void;
}

/**
 * Takes a lease (waiting in line, in arrival order, when asked) and keeps it: renewed every third of its TTL
 * on the database's clock, on a new connection when the old one broke (the server restarted). When it
 * cannot be renewed, the work goes on and the loss is reported; the fencing token is what protects the target.
 */
export async function holdLease(request: LeaseRequest): Promise<LeaseAttempt> {
  const owner = newOwner();
  const {db, name, holder, ttlMs} = request;
  let grant = await tryAcquire(db, {name, owner, holder, ttlMs});
  if (!grant.acquired && request.waitMs > 0 && !request.signal?.aborted) {
    request.onWait?.(grant.holder);
    grant = await waitInLine(request, owner, grant);
  }
  if (!grant.acquired) return {acquired: false, holder: grant.holder, interrupted: request.signal?.aborted ?? false};
  return {acquired: true, lease: keep(request, owner, grant.token)};
}

async function waitInLine(request: LeaseRequest, owner: string, first: Awaited<ReturnType<typeof tryAcquire>>): Promise<Awaited<ReturnType<typeof tryAcquire>>> {
  const {db, name, holder, ttlMs} = request;
  const deadline = Date.now() + request.waitMs;
  let wake: (() => void) | undefined;
  await db.listen('foggy_leases', (payload) => {
    if (payload === name) wake?.();
  });
  let grant = first;
  try {
    const ticket = await enqueue(db, {name, owner, holder, ttlMs: QUEUE_TTL_MS});
    while (!grant.acquired && Date.now() < deadline && !request.signal?.aborted) {
      const woken = new Promise<void>((resolve) => (wake = resolve));
      await Promise.race([sleep(Math.min(POLL_MS + Math.random() * POLL_MS, Math.max(1, deadline - Date.now())), request.signal), woken]);
      if (request.signal?.aborted) break;
      await enqueue(db, {name, owner, holder, ttlMs: QUEUE_TTL_MS});
      grant = await tryAcquire(db, {name, owner, holder, ttlMs, ticket});
    }
  } finally {
    wake = undefined;
    await dequeue(db, {name, owner}).catch(() => {});
  }
  return grant;
}

function keep(request: LeaseRequest, owner: string, token: number): HeldLease {
  const {name, ttlMs} = request;
  let db = request.db;
  let lost: string | undefined;
  let lastRenewed = Date.now();
  let renewing = false;
  const lose = (why: string) => {
    if (lost) return;
    lost = why;
    clearInterval(timer);
    request.onLost?.(why);
  };
  /** The connection, opened again when it broke. */
  const connection = async () => {
    if (db.broken) {
      await db.close();
      db = await openDatabase(request.target, {connectTimeoutMs: Math.max(1000, Math.floor(ttlMs / 3))});
    }
    return db;
  };
  const timer = setInterval(() => {
    if (renewing || lost) return;
    renewing = true;
    void (async () => {
      try {
        if (await renew(await connection(), {name, owner, token, ttlMs})) lastRenewed = Date.now();
        else lose('another holder has it now: it expired, or its row was changed');
      } catch {
        if (Date.now() - lastRenewed > ttlMs) lose(`it could not be renewed for longer than its ${Math.round(ttlMs / 1000)}s TTL (the database is unreachable)`);
      } finally {
        renewing = false;
      }
    })();
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  let released = false;
  return {
    name,
    token,
    get lost() {
      return lost;
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      try {
        if (!lost) await release(await connection(), {name, owner, token});
      } catch {
        // The database is away: the lease lapses on its own after its TTL.
      } finally {
        await db.close();
      }
    },
  };
}
