import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {JournalEntry} from './journal.js';

/**
 * The entries that still have to reach the channel, one small file each, beside the journal.
 * The journal stays the record; this is its index of unfinished deliveries, so that finding work
 * costs one readdir however long the journal grows.
 */
export class Outbox {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'outbox');
  }

  /** Writes the entry's current state; delivery progress already recorded is kept when `entry` has none. */
  put(entry: JournalEntry): void {
    mkdirSync(this.dir, {recursive: true, mode: 0o700});
    const file = join(this.dir, `${entry.id}.json`);
    if (!entry.delivery) {
      const delivery = this.get(entry.id)?.delivery;
      if (delivery) entry = {...entry, delivery};
    }
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entry), {mode: 0o600});
    // rename is atomic: a reader sees the old file or the new one, never half of one.
    renameSync(temporary, file);
  }

  get(id: string): JournalEntry | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')) as JournalEntry;
    } catch {
      return undefined;
    }
  }

  remove(id: string): void {
    rmSync(join(this.dir, `${id}.json`), {force: true});
  }

  /** Pending entries, oldest first. */
  list(): JournalEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    const entries: JournalEntry[] = [];
    for (const name of names.sort()) {
      try {
        entries.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as JournalEntry);
      } catch {
        // Removed meanwhile by another process, or unreadable: skipped.
      }
    }
    return entries;
  }
}
