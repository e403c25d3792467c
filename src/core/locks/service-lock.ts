import {join} from 'node:path';
import type {ActionVerb} from '../catalog/types.js';
import {acquireLock, type HeldLock, type LockHolder} from './pid-lock.js';

/**
 * One deploy or restart of a service at a time on this machine: two people (or two CI jobs on one runner)
 * running `foggy deploy web` at once would otherwise race each other's release. The lock names its holder,
 * so the second one is told who is at it and since when; a lock left by a killed process is taken over.
 * `status` never locks. Across machines, serialise in CI (concurrency groups): this lock is per machine.
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

export type ServiceLockResult = {acquired: true; lock: HeldLock} | {acquired: false; message: string; holder?: LockHolder; interrupted: boolean};

export async function lockService(options: {
  stateDir: string;
  service: string;
  verb: ActionVerb;
  entry: string;
  waitMs: number;
  signal?: AbortSignal;
  onWait?: (message: string) => void;
}): Promise<ServiceLockResult> {
  const attempt = await acquireLock(serviceLockFile(options.stateDir, options.service), {
    what: options.verb,
    entry: options.entry,
    waitMs: options.waitMs,
    pollMs: 200,
    signal: options.signal,
    onWait: (holder) => options.onWait?.(describeHolder(options.service, holder)),
  });
  if (attempt.acquired) return attempt;
  return {acquired: false, message: describeHolder(options.service, attempt.holder), holder: attempt.holder, interrupted: options.signal?.aborted ?? false};
}
