import {readFileSync, renameSync, writeFileSync} from 'node:fs';
import type {ServiceWatch} from './state.js';

/**
 * What the watcher believes, kept between rounds in the state directory: a restarted watcher (or the next
 * `foggy watch --once` from cron) goes on counting where the last one stopped, instead of starting from
 * "unknown". The journal stays the record of incidents; this file only carries the counts.
 */
export interface SavedWatch {
  services: Record<string, ServiceWatch & {because?: string}>;
  /** When each open incident's last reminder went out. */
  reminders: Record<string, string>;
  /** Rollbacks whose outcome went into an open incident's thread (the rollback's entry → the incident's). */
  rollbacksTold: Record<string, string>;
}

export function loadWatchState(file: string): SavedWatch {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedWatch>;
    if (saved && typeof saved === 'object' && saved.services && typeof saved.services === 'object') {
      const services = Object.fromEntries(Object.entries(saved.services).filter(([, watch]) => isServiceWatch(watch)));
      const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, string>) : {});
      return {services, reminders: record(saved.reminders), rollbacksTold: record(saved.rollbacksTold)};
    }
  } catch {
    // None yet, or unreadable: start afresh; the journal still has the open incidents.
  }
  return {services: {}, reminders: {}, rollbacksTold: {}};
}

function isServiceWatch(value: unknown): value is ServiceWatch {
  const watch = value as ServiceWatch | null;
  return Boolean(watch) && ['unknown', 'up', 'down', 'flapping'].includes(watch!.state) && typeof watch!.since === 'string' && Number.isInteger(watch!.failures) && Number.isInteger(watch!.successes) && Array.isArray(watch!.flips);
}

export function saveWatchState(file: string, state: SavedWatch): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(state), {mode: 0o600});
    renameSync(temporary, file);
  } catch {
    // A full disk costs a restarted watcher its counts, nothing more.
  }
}
