import type {JournalEntry} from '../journal/journal.js';
import {openDatabase, type Database} from './database.js';

/**
 * The active watcher's open incidents, in the team's database: the watcher that takes over finds them there
 * (with where their messages are) and carries them on, editing the same messages. Writes are queued and
 * done in order, off the watcher's round; one that fails is retried with the next.
 */
export class SharedIncidents {
  private db?: Database;
  private chain: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, JournalEntry | null>();

  constructor(
    private readonly target: {url: string; shown: string},
    private readonly note: (line: string) => void,
  ) {}

  private async connection(): Promise<Database> {
    if (!this.db || this.db.broken) {
      await this.db?.close();
      this.db = undefined;
      this.db = await openDatabase(this.target);
    }
    return this.db;
  }

  /** The incidents open when this watcher starts leading. */
  async load(): Promise<JournalEntry[]> {
    await this.flush();
    const rows = await (await this.connection()).query<{entry: JournalEntry}>('select entry from foggy.open_incidents order by updated_at');
    return rows.map((row) => row.entry).filter((entry) => entry && typeof entry.id === 'string' && Array.isArray(entry.services));
  }

  /** The incident as it is now (opened, delivered, changed). */
  save(entry: JournalEntry): void {
    this.pending.set(entry.services[0], entry);
    this.schedule();
  }

  /** Resolved: no longer open. */
  remove(service: string): void {
    this.pending.set(service, null);
    this.schedule();
  }

  /** What a failed write left: tried again (each round calls it). */
  retryPending(): void {
    if (this.pending.size > 0) this.schedule();
  }

  async flush(): Promise<void> {
    await this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.db?.close();
  }

  private schedule(): void {
    this.chain = this.chain.then(() => this.write());
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      const db = await this.connection();
      for (const [service, entry] of batch) {
        if (entry) await db.query(`insert into foggy.open_incidents (service, entry, updated_at) values ($1, $2::jsonb, now()) on conflict (service) do update set entry = excluded.entry, updated_at = now()`, [service, JSON.stringify(entry)]);
        else await db.query('delete from foggy.open_incidents where service = $1', [service]);
      }
    } catch (error) {
      // Kept for the next write, unless a newer state came meanwhile.
      for (const [service, entry] of batch) if (!this.pending.has(service)) this.pending.set(service, entry);
      this.note(`Could not share the open incidents with the other watchers (${(error as Error).message}); trying again.`);
    }
  }
}
