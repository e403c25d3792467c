import {openDatabase, type Database} from '../../core/coordination/database.js';
import type {Confirmation, ConfirmationState} from './confirmations.js';
import type {ChatMemory} from './memory.js';
import {SEEN_TTL_MS} from './seen-triggers.js';

/** Expired ids are cleared now and then, not on every delivery. */
const CLEAR_EVERY = 500;

/**
 * foggy serve's memory in the team's database: two servers (on two hosts) given the same envelope run it
 * once, and a confirmation is single-use whichever server a click reaches.
 */
export async function sharedMemory(target: {url: string; shown: string}): Promise<ChatMemory> {
  let db: Database = await openDatabase(target, {name: 'foggy serve'});
  const connection = async () => {
    if (db.broken) {
      await db.close();
      db = await openDatabase(target, {name: 'foggy serve'});
    }
    return db;
  };
  let offered = 0;
  return {
    seen: {
      async firstTime(ids) {
        if (ids.length === 0) return true;
        const database = await connection();
        const inserted = await database.query(
          `insert into foggy.seen_triggers (id, expires_at) select unnest($1::text[]), now() + make_interval(secs => $2::double precision / 1000)
           on conflict (id) do nothing returning id`,
          [ids, SEEN_TTL_MS],
        );
        if (++offered % CLEAR_EVERY === 0) await database.query('delete from foggy.seen_triggers where expires_at < now()');
        return inserted.length === ids.length;
      },
    },
    confirmations: {
      async get(id) {
        const [row] = await (await connection()).query<{record: Confirmation}>('select record from foggy.confirmations where id = $1', [id]);
        return row?.record;
      },
      async open() {
        return (await (await connection()).query<{record: Confirmation}>(`select record from foggy.confirmations where state = 'open'`)).map((row) => row.record);
      },
      async save(record) {
        await (await connection()).query(
          `insert into foggy.confirmations (id, state, record, updated_at) values ($1, $2, $3::jsonb, now())
           on conflict (id) do update set state = excluded.state, record = excluded.record, updated_at = now()`,
          [record.id, record.state, JSON.stringify(record)],
        );
      },
      async setMessage(id, message) {
        await (await connection()).query(`update foggy.confirmations set record = record || jsonb_build_object('message', $2::jsonb), updated_at = now() where id = $1`, [id, JSON.stringify(message)]);
      },
      async close(id: string, state: Exclude<ConfirmationState, 'open'>, by: string | undefined, at: number) {
        const [row] = await (await connection()).query<{record: Confirmation}>(
          `update foggy.confirmations set state = $2, updated_at = now(),
             record = record || jsonb_strip_nulls(jsonb_build_object('state', $2::text, 'closedBy', $3::text, 'closedAt', $4::bigint))
           where id = $1 and state = 'open' returning record`,
          [id, state, by ?? null, at],
        );
        return row?.record;
      },
    },
    close: async () => db.close(),
  };
}
