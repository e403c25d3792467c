import type {Coordination} from '../coordination/settings.js';
import {openDatabase, type Database} from '../coordination/database.js';
import {numbered, type Sql} from './sql.js';

/**
 * The history in the team's database: the active watcher writes it, and any foggy of the team reads the same
 * figures (the page of a watcher standing by, `foggy uptime` on a laptop). The tables come with the coordination
 * schema's migrations.
 */
export async function openPostgresHistory(target: Extract<Coordination, {kind: 'postgres'}>): Promise<Sql> {
  let db: Database = await openDatabase(target, {name: 'foggy history', statementTimeoutMs: 30_000});
  const ready = async () => {
    if (db.broken) {
      await db.close().catch(() => {});
      db = await openDatabase(target, {name: 'foggy history', statementTimeoutMs: 30_000});
    }
    return db;
  };
  let depth = 0;
  return {
    dialect: 'postgres',
    table: (name) => `foggy.history_${name}`,
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await ready()).query<T>(numbered(sql), [...params]),
    run: async (sql, params = []) => {
      await (await ready()).query(numbered(sql), [...params]);
    },
    async transaction(work) {
      if (depth > 0) return work();
      depth++;
      const connection = await ready();
      await connection.query('begin');
      try {
        const result = await work();
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback').catch(() => {});
        throw error;
      } finally {
        depth--;
      }
    },
    close: () => db.close(),
  };
}
