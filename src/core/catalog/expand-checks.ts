import {kindFor} from '../checks/kinds/index.js';
import type {RawCheck} from '../checks/kinds/kind.js';
import {expandVariables} from './variables.js';

type Located = (path: (string | number)[], message: string) => Error;

/**
 * Expands the check targets of a catalog's raw data in place, before it is validated. Returns whether a
 * secret (a header's value, a URL's password) came from the environment: such a catalog is never cached on disk.
 */
export function expandCheckTargets(data: unknown, env: NodeJS.ProcessEnv, located: Located): {secretsFromEnvironment: boolean} {
  let secretsFromEnvironment = false;
  const services = (data as {services?: unknown} | null)?.services;
  if (!services || typeof services !== 'object') return {secretsFromEnvironment};
  const expand = (holder: Record<string, unknown>, key: string, at: (string | number)[], secret: boolean) => {
    const raw = holder[key];
    if (typeof raw !== 'string' || !raw.includes('${')) return;
    if (secret) secretsFromEnvironment = true;
    try {
      holder[key] = expandVariables(raw, env);
    } catch (error) {
      throw located(at, (error as Error).message);
    }
  };
  for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
    const checks = (service as {status?: unknown} | null)?.status;
    if (!Array.isArray(checks)) continue;
    for (const [index, check] of checks.entries()) {
      if (!check || typeof check !== 'object') continue;
      const kind = kindFor(check as RawCheck);
      if (!kind) continue;
      const path = ['services', name, 'status', index];
      const {keys, maps = [], secret} = kind.variables;
      for (const key of keys) {
        const raw = (check as Record<string, unknown>)[key];
        expand(check as Record<string, unknown>, key, [...path, key], typeof raw === 'string' && (secret?.(key, raw) ?? false));
      }
      // A variable in a map's value (a header's) is a secret kept out of the file.
      for (const map of maps) {
        const values = (check as Record<string, unknown>)[map];
        if (values && typeof values === 'object') for (const key of Object.keys(values)) expand(values as Record<string, unknown>, key, [...path, map, key], true);
      }
    }
  }
  return {secretsFromEnvironment};
}
