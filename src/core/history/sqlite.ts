import {createRequire} from 'node:module';
import {join} from 'node:path';
import type {DatabaseSync, StatementSync} from 'node:sqlite';
import {environmentError, isEnvironmentError} from '../errors/environment.js';
import {FoggyError} from '../errors/foggy-error.js';
import {historyTables} from './schema.js';
import type {Sql} from './sql.js';

const load = createRequire(import.meta.url);
/** SQLite's answers for a file that is not a database, or a damaged one (SQLITE_NOTADB, SQLITE_CORRUPT). */
const DAMAGED = new Set([26, 11]);

/**
 * node:sqlite, loaded without Node 22's "SQLite is an experimental feature" warning on the user's screen (Node 24
 * loads it silently): the API foggy uses is the same on both, and a warning on every watcher's start would teach
 * people to ignore stderr. Any other warning passes.
 */
function loadSqlite(): typeof import('node:sqlite') {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as {type?: string} | undefined)?.type ?? (warning as Error).name;
    if (type === 'ExperimentalWarning' && /\bSQLite\b/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return load('node:sqlite') as typeof import('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The history's file in the state directory. */
export function historyFile(stateDir: string): string {
  return join(stateDir, 'history.sqlite');
}

/**
 * The embedded default: Node's own SQLite (node:sqlite), in the state directory. Nothing to install, build or
 * download (a native SQLite package would fetch binaries from outside npm, or need a compiler); one file, written
 * by one watcher, read by any foggy of the machine (WAL: readers never wait for the writer).
 */
export function openSqlite(file: string): Sql {
  let db: DatabaseSync;
  try {
    const {DatabaseSync} = loadSqlite();
    db = new DatabaseSync(file);
    db.exec('pragma journal_mode = wal; pragma synchronous = normal; pragma busy_timeout = 5000;');
    for (const statement of historyTables((name) => name, 'integer')) db.exec(statement);
  } catch (error) {
    if (isEnvironmentError(error)) throw environmentError(error, 'open the history', file, 'state');
    if (DAMAGED.has((error as {errcode?: number}).errcode ?? 0)) {
      throw new FoggyError(`The history file ${file} is not a database foggy can read (${(error as Error).message}).`, {
        kind: 'usage',
        hint: 'Move it away (or delete it): foggy watch starts a new history there, and nothing else depends on it.',
      });
    }
    throw error;
  }
  const statements = new Map<string, StatementSync>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  let depth = 0;
  return {
    dialect: 'sqlite',
    table: (name) => name,
    async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
      return prepared(sql).all(...(params as never[])) as T[];
    },
    async run(sql, params = []) {
      prepared(sql).run(...(params as never[]));
    },
    async transaction(work) {
      // One writer, one connection: nested calls join the transaction already open.
      if (depth > 0) return work();
      depth++;
      db.exec('begin');
      try {
        const result = await work();
        db.exec('commit');
        return result;
      } catch (error) {
        db.exec('rollback');
        throw error;
      } finally {
        depth--;
      }
    },
    async close() {
      statements.clear();
      if (db.isOpen) db.close();
    },
  };
}
