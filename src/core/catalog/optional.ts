import {loadCatalog} from './load.js';
import {locateCatalog} from './locate.js';
import type {Catalog} from './types.js';

/**
 * The catalog when there is one, for commands that only borrow its channel (log, outbox, doctor):
 * an explicit --config must load; a catalog merely found nearby may be absent.
 */
export async function optionalCatalog(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Catalog | undefined> {
  if (explicit || env.FOGGY_CONFIG) return loadCatalog(locateCatalog({explicit, env}), env);
  try {
    return await loadCatalog(locateCatalog({env}), env);
  } catch {
    return undefined;
  }
}
