import {kindOf} from '../checks/kinds/index.js';
import type {Catalog} from './types.js';

/**
 * What a catalog itself declares that must never be shown: every value of an action's env: (a deploy key
 * set there is as secret as one in the environment), and what each kind of check says is secret in it (the
 * password of a check or proxy URL, the values of headers whose names say "secret": Authorization, X-Api-Key,
 * Cookie …).
 */
export function catalogSecrets(catalog: Pick<Catalog, 'services'> & Partial<Pick<Catalog, 'coordination'>>): string[] {
  const values: string[] = [];
  for (const service of catalog.services.values()) {
    for (const verb in service.actions) {
      const env = service.actions[verb as keyof typeof service.actions]?.env;
      for (const name in env) values.push(env[name]);
    }
    for (const check of service.checks) values.push(...kindOf(check).secrets(check));
  }
  values.push(...urlPassword(catalog.coordination?.postgres));
  return [...new Set(values)];
}

/** The password of a URL with credentials (the coordination database's), as written and decoded. */
function urlPassword(url: string | undefined): string[] {
  if (!url?.includes('@')) return [];
  try {
    const {password} = new URL(url);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}
