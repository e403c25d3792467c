import {hostname} from 'node:os';
import {holderGone} from '../locks/pid-lock.js';
import type {JournalEntry} from './journal.js';

/** The process that made the entry has ended (it ran on this host, and its pid is gone). */
export function creatorGone(entry: JournalEntry, host = hostname()): boolean {
  return entry.pid !== process.pid && holderGone({pid: entry.pid, host: entry.who.host, user: entry.who.user, since: entry.startedAt}, host);
}

/**
 * An entry still "running" whose process is gone on this host was cut short (kill -9, a crash):
 * its outcome is unknown, and it will never be completed by its own process.
 */
export function isOrphaned(entry: JournalEntry, host = hostname()): boolean {
  // An open incident outlives the watcher that opened it: the next watcher resolves it.
  return entry.outcome === 'running' && entry.verb !== 'incident' && creatorGone(entry, host);
}

export function withLiveness(entry: JournalEntry): JournalEntry {
  return isOrphaned(entry) ? {...entry, outcome: 'unknown', summary: 'outcome unknown: process ended'} : entry;
}

/**
 * An entry belongs to the process that made it while that process lives: only the owner delivers it,
 * until it hands it over (its own delivery is done or out of time) or dies. So an owner's delivery and
 * another process's flush never post the same entry.
 */
export function deliverableByOthers(entry: JournalEntry, host = hostname()): boolean {
  if (entry.delivery?.refused || entry.delivery?.dropped) return false;
  return Boolean(entry.delivery?.handedOver) || creatorGone(entry, host);
}
