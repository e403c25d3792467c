import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {environmentError} from '../errors/environment.js';
import {isEntryShape, type JournalEntry} from './journal.js';

/**
 * The entries that still have to reach the channel, one small file each, beside the journal.
 * The journal stays the record; this is its index of unfinished deliveries, so that finding work
 * costs one readdir however long the journal grows.
 */
export class Outbox {
  readonly dir: string;
  /** Held by the one process flushing the outbox (see mirror/flush.ts). */
  readonly lockFile: string;
  /** Files the last list() skipped: unreadable, or not an entry. */
  skipped = 0;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'outbox');
    this.lockFile = join(stateDir, 'outbox.lock');
  }

  private file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Writes the entry's current state; delivery progress already recorded is kept when `entry` has none. */
  put(entry: JournalEntry): void {
    mkdirSync(this.dir, {recursive: true, mode: 0o700});
    if (!entry.delivery) {
      const delivery = this.get(entry.id)?.delivery;
      if (delivery) entry = {...entry, delivery};
    }
    const temporary = `${this.file(entry.id)}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify(entry), {mode: 0o600});
      // rename is atomic: a reader sees the old file or the new one, never half of one.
      renameSync(temporary, this.file(entry.id));
    } catch (error) {
      // A full disk leaves no half-written file behind.
      rmSync(temporary, {force: true});
      throw error;
    }
  }

  get(id: string): JournalEntry | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.file(id), 'utf8')) as unknown;
      return isEntryShape(entry) ? (entry as JournalEntry) : undefined;
    } catch {
      return undefined;
    }
  }

  remove(id: string): void {
    rmSync(this.file(id), {force: true});
  }

  /** The ids waiting, oldest first (ids sort by time): one readdir, no file read. No outbox yet: none. */
  ids(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw environmentError(error, 'read the outbox', this.dir, 'state');
    }
  }

  /** Pending entries, oldest first. */
  list(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    this.skipped = 0;
    for (const id of this.ids()) {
      const entry = this.get(id);
      // Unreadable, or not an entry: skipped (the journal keeps the record). Removed meanwhile: gone.
      if (isEntryShape(entry) && entry.id === id) entries.push(entry);
      else if (existsSync(this.file(id))) this.skipped++;
    }
    return entries;
  }

  /** The process that made the entry is done with it (delivered or not): from now on any process may deliver it. */
  handOver(id: string): void {
    const entry = this.get(id);
    if (!entry) return;
    this.put({...entry, delivery: {...(entry.delivery ?? {steps: []}), handedOver: true}});
  }
}
