import {hostname} from 'node:os';
import type {JournalEntry} from './journal.js';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An entry still "running" whose process is gone on this host was cut short (kill -9, a crash):
 * its outcome is unknown, and it will never be completed by its own process.
 */
export function isOrphaned(entry: JournalEntry, host = hostname()): boolean {
  return entry.outcome === 'running' && entry.who.host === host && entry.pid !== process.pid && !processAlive(entry.pid);
}

export function withLiveness(entry: JournalEntry): JournalEntry {
  return isOrphaned(entry) ? {...entry, outcome: 'unknown', summary: 'outcome unknown: process ended'} : entry;
}
