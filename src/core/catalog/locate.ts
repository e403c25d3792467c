import {existsSync, lstatSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {FoggyError, usageError} from '../errors/foggy-error.js';
import {CATALOG_FILE_NAMES} from './defaults.js';

/**
 * Finds the catalog: an explicit path (flag, then FOGGY_CONFIG) wins;
 * otherwise foggy.yml is looked for from `cwd` upward, the way git finds .git.
 */
export function locateCatalog(options: {explicit?: string; env?: NodeJS.ProcessEnv; cwd?: string}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.explicit ?? (env.FOGGY_CONFIG || undefined);
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!present(file)) throw usageError(`Config file not found: ${file}`);
    return file;
  }

  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CATALOG_FILE_NAMES) {
      const candidate = join(dir, name);
      // lstat, not exists: a broken link or a link loop named foggy.yml is this directory's catalog, and
      // loading it says what is wrong, instead of silently taking a parent directory's foggy.yml.
      if (present(candidate)) return candidate;
    }
    if (dirname(dir) === dir) break;
  }

  throw new FoggyError(`No foggy.yml found in ${resolve(cwd)} or any directory above it.`, {
    remedy: {do: 'point-catalog'},
    code: 'catalog_not_found',
    data: {from: resolve(cwd)},
  });
}

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}
