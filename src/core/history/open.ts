import type {Catalog} from '../catalog/types.js';
import {coordinationOf} from '../coordination/settings.js';
import {writableStateDir} from '../journal/open.js';
import {historyFile, openSqlite} from './sqlite.js';
import {HistoryStore} from './store.js';

/**
 * Where the history lives: the team's database when coordination is on (the active watcher writes, any foggy reads
 * the same figures), else the state directory's SQLite file.
 */
export async function openHistory(env: NodeJS.ProcessEnv, catalog: Pick<Catalog, 'coordination'> | undefined): Promise<HistoryStore> {
  const coordination = coordinationOf(env, catalog);
  if (coordination.kind === 'postgres') {
    const {openPostgresHistory} = await import('./postgres.js');
    return new HistoryStore(await openPostgresHistory(coordination));
  }
  return new HistoryStore(openSqlite(historyFile(writableStateDir(env))));
}
