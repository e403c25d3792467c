import {readFileSync} from 'node:fs';
import {usageError} from '../errors.js';
import {readCachedCatalog, writeCachedCatalog} from './cache.js';
import type {Catalog} from './types.js';

/** Reads, validates and normalises a catalog file. Any problem is a usage error (exit 2) naming file:line:column. */
export async function loadCatalog(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Catalog> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const cached = readCachedCatalog(text, file, env);
  if (cached) return cached;
  // The YAML parser and the schema validator load only when the file has changed since it last validated.
  const {parseCatalog} = await import('./parse.js');
  const catalog = parseCatalog(text, file);
  writeCachedCatalog(text, catalog, env);
  return catalog;
}
