import {mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {shortHash} from '../text/hash.js';
import {cacheDir} from '../platform/paths.js';
import {variableValues} from './variables.js';
import type {Catalog, Service} from './types.js';

/**
 * The last catalog that validated, normalised, as JSON: a run whose foggy.yml has not changed skips the
 * YAML parser and the schema check, most of what a catalog costs. It is used only for the very same text,
 * path and build of foggy (a newer foggy may normalise differently), so it is never stale; a missing or
 * unreadable copy only means parsing again.
 */
const FORMAT = 5;

interface Stored {
  format: number;
  build: string;
  text: string;
  /** The values of the variables the text refers to (${VAR} in checks): the catalog depends on them too. */
  variables: string;
  catalog: Omit<Catalog, 'services'> & {services: Service[]};
}

/** This build of foggy: the time its code was written (a rebuild or an upgrade changes it). */
function build(): string {
  try {
    return String(statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {
    return 'unknown';
  }
}

/** One file per catalog path, named by a quick hash of it; the path itself is checked on reading. */
function cacheFile(file: string, env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), 'catalogs', `${shortHash(file)}.json`);
}

export function readCachedCatalog(text: string, file: string, env: NodeJS.ProcessEnv): Catalog | undefined {
  try {
    const stored = JSON.parse(readFileSync(cacheFile(file, env), 'utf8')) as Stored;
    if (stored.format !== FORMAT || stored.text !== text || stored.catalog.file !== file || stored.build !== build()) return undefined;
    if (stored.variables !== variableValues(text, env)) return undefined;
    const {services, ...catalog} = stored.catalog;
    return {...catalog, services: new Map(services.map((service) => [service.name, service]))};
  } catch {
    return undefined;
  }
}

export function writeCachedCatalog(text: string, catalog: Catalog, env: NodeJS.ProcessEnv): void {
  const target = cacheFile(catalog.file, env);
  const stored: Stored = {format: FORMAT, build: build(), text, variables: variableValues(text, env), catalog: {...catalog, services: [...catalog.services.values()]}};
  try {
    mkdirSync(join(cacheDir(env), 'catalogs'), {recursive: true, mode: 0o700});
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored), {mode: 0o600});
    renameSync(temporary, target);
  } catch {
    // A read-only or full disk costs the next run a parse, nothing more.
  }
}
