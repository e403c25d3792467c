import {closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync} from 'node:fs';
import {hostname} from 'node:os';
import {dirname} from 'node:path';
import {environmentError, isEnvironmentError} from '../errors/environment.js';
import {localUser} from '../platform/local-user.js';
import {sleep} from '../platform/sleep.js';

/**
 * A lock that names its holder and dies with it. The lock is a file created with O_EXCL (two processes
 * cannot both create it) holding who took it; a holder on this host whose process is gone has left a
 * stale lock, which the next taker removes at once, instead of waiting for a timeout as mtime-based locks do.
 * Taking over a stale lock is itself guarded (a directory made with mkdir, also exclusive), so two takers
 * that both saw it stale cannot both end up holding it.
 */
export interface LockHolder {
  pid: number;
  host: string;
  user: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What the holder is doing, for the message another process shows ("deploy", "flush"). */
  what?: string;
  /** The entry the holder is running, when there is one. */
  entry?: string;
  /** Taken by another process and handed to this holder (see handOverLock). */
  handed?: boolean;
}

export interface HeldLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): void;
}

export type LockAttempt = {acquired: true; lock: HeldLock} | {acquired: false; holder?: LockHolder};

/** A takeover guard older than this belongs to a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;
/** A lock file still empty after this long was left by a process killed between create and write. */
const EMPTY_STALE_MS = 5_000;

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof holder?.pid === 'number' && typeof holder.host === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** The holder is known to be gone: a process on this host that no longer exists. */
export function holderGone(holder: LockHolder, host = hostname()): boolean {
  return holder.host === host && !processAlive(holder.pid);
}

function create(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } catch (error) {
    // A full disk: an empty lock file left behind would hold everyone off until it counts as stale.
    closeSync(fd);
    rmSync(file, {force: true});
    throw error;
  }
  closeSync(fd);
  return true;
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function sameHolder(a: LockHolder | undefined, b: LockHolder | undefined): boolean {
  return Boolean(a && b && a.pid === b.pid && a.host === b.host && a.since === b.since);
}

/** Removes a stale lock, once, under the takeover guard. Returns whether the caller may try to create it again. */
function clearStale(file: string, seen: LockHolder | undefined): boolean {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard, {mode: 0o700});
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(guard) > TAKEOVER_STALE_MS) rmdirSafe(guard);
    return false;
  }
  try {
    const now = readHolder(file);
    // Only the very lock we judged stale is removed: a fresh one taken meanwhile stays.
    if (seen ? sameHolder(now, seen) : now === undefined) {
      try {
        unlinkSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return true;
  } finally {
    rmdirSafe(guard);
  }
}

function rmdirSafe(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Already removed by whoever cleared it.
  }
}

/** One attempt, no waiting. A lock the environment will not let foggy create is a usage error naming it (exit 2). */
export function tryLock(file: string, details: {what?: string; entry?: string} = {}): LockAttempt {
  try {
    return attemptLock(file, details);
  } catch (error) {
    if (isEnvironmentError(error)) {
      const failure = environmentError(error, 'take the lock', file, 'state');
      failure.message = `${failure.message} Nothing ran.`;
      throw failure;
    }
    throw error;
  }
}

function attemptLock(file: string, details: {what?: string; entry?: string}): LockAttempt {
  mkdirSync(dirname(file), {recursive: true, mode: 0o700});
  const holder: LockHolder = {pid: process.pid, host: hostname(), user: localUser(), since: new Date().toISOString(), ...details};
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, holder)) return {acquired: true, lock: heldLock(file, holder)};
    const current = readHolder(file);
    // Taken for this very process by the one that started it (see handOverLock).
    if (current?.handed && current.pid === process.pid && current.host === holder.host) return {acquired: true, lock: heldLock(file, current)};
    const stale = current ? holderGone(current) : ageMs(file) > EMPTY_STALE_MS;
    if (!stale) return {acquired: false, holder: current};
    if (!clearStale(file, current)) return {acquired: false, holder: current};
  }
  return {acquired: false, holder: readHolder(file)};
}

/** Tries until the lock is free, `waitMs` passes, or `signal` aborts. */
export async function acquireLock(
  file: string,
  options: {what?: string; entry?: string; waitMs: number; pollMs?: number; signal?: AbortSignal; onWait?: (holder?: LockHolder) => void},
): Promise<LockAttempt> {
  const deadline = Date.now() + options.waitMs;
  let attempt = tryLock(file, options);
  if (!attempt.acquired && options.waitMs > 0) options.onWait?.(attempt.holder);
  while (!attempt.acquired && Date.now() < deadline && !options.signal?.aborted) {
    await sleep(Math.min(options.pollMs ?? 100, Math.max(1, deadline - Date.now())), options.signal);
    attempt = tryLock(file, options);
  }
  return attempt;
}

function heldLock(file: string, holder: LockHolder): HeldLock {
  let released = false;
  return {
    file,
    holder,
    release() {
      if (released) return;
      released = true;
      // Never remove a lock that is no longer ours.
      if (!sameHolder(readHolder(file), holder)) return;
      try {
        unlinkSync(file);
      } catch {
        // Gone already.
      }
    },
  };
}

/**
 * Passes a held lock to another process (one just started to do the locked work): the lock file names
 * it from now on, so no third process can slip in between, and it is stale the moment that process ends.
 */
export function handOverLock(lock: HeldLock, pid: number): void {
  const holder: LockHolder = {...lock.holder, pid, since: new Date().toISOString(), handed: true};
  writeFileSync(lock.file, JSON.stringify(holder), {mode: 0o600});
}
