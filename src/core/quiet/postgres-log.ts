import type {Coordination} from '../coordination/settings.js';
import {openDatabase, type Database} from '../coordination/database.js';
import {foldQuiet, QUIET_HORIZON_MS, type QuietEvent, type QuietLog, type QuietRecord} from './events.js';

/**
 * The quiet events in the team's database: a deploy on one machine quiets the active watcher on another, and a
 * silence set from chat on one foggy serve is seen by every watcher and view. Kept for the horizon only.
 */
export class PostgresQuietLog implements QuietLog {
  private db?: Promise<Database>;

  constructor(private readonly target: Extract<Coordination, {kind: 'postgres'}>) {}

  private open(): Promise<Database> {
    if (!this.db) {
      this.db = openDatabase(this.target, {name: 'foggy quiet'});
      this.db.catch(() => (this.db = undefined));
    }
    return this.db.then(async (db) => {
      if (!db.broken) return db;
      await db.close().catch(() => {});
      this.db = undefined;
      return this.open();
    });
  }

  async append(event: QuietEvent): Promise<void> {
    const db = await this.open();
    await db.query('insert into foggy.quiet_events (event) values ($1)', [JSON.stringify(event)]);
    // The quiet events last days; the team's runs are kept for good beside the history's (what rollback chooses
    // from on any machine, and what the page lists even before a watcher saw them).
    if (event.kind === 'action') {
      await db.query(
        'insert into foggy.history_runs (entry, service, verb, ref, who, started, rollback_of) values ($1, $2, $3, $4, $5, $6, $7) on conflict (entry) do nothing',
        [event.entry, event.service, event.verb, event.ref ?? null, event.who, Date.parse(event.at), event.rollbackOf ?? null],
      );
    } else if (event.kind === 'action-end') {
      await db.query('update foggy.history_runs set ended = $2, outcome = $3 where entry = $1', [event.entry, Date.parse(event.at), event.outcome]);
    }
  }

  async read(): Promise<QuietRecord> {
    const db = await this.open();
    const rows = await db.query<{event: QuietEvent}>('select event from foggy.quiet_events where at > now() - make_interval(secs => $1) order by seq', [QUIET_HORIZON_MS / 1000]);
    // Old events go as they are passed: the table holds days, never years.
    void db.query('delete from foggy.quiet_events where at < now() - make_interval(secs => $1)', [QUIET_HORIZON_MS / 1000]).catch(() => {});
    return foldQuiet(rows.map((row) => row.event));
  }

  async close(): Promise<void> {
    const db = await this.db?.catch(() => undefined);
    this.db = undefined;
    await db?.close();
  }
}
