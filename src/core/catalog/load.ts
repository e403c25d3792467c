import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs';
import {usageError} from '../errors/foggy-error.js';
import {describeFsError} from '../errors/environment.js';
import {readCachedCatalog, writeCachedCatalog} from './cache.js';
import type {Catalog} from './types.js';
import {formatCount} from '../text/count.js';

/** A catalog is a small text file; anything larger is a mistake (or an attack) and is refused before it is read. */
export const MAX_CATALOG_BYTES = 512 * 1024;

/** Reads, validates and normalises a catalog file. Any problem is a usage error (exit 2) naming file:line:column. */
export async function loadCatalog(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Catalog> {
  const text = readCatalogText(file);
  const cached = readCachedCatalog(text, file, env);
  if (cached) return cached;
  // The YAML parser and the schema validator load only when the file has changed since it last validated.
  const {parseCatalog} = await import('./parse.js');
  const info: {secretsFromEnvironment?: boolean} = {};
  const catalog = parseCatalog(text, file, env, info);
  // A secret from the environment (a header, a URL's password) is kept out of the file on purpose: out of the cache too.
  if (!info.secretsFromEnvironment) writeCachedCatalog(text, catalog, env);
  return catalog;
}

/**
 * The file's text, refusing what is not a plain text file of reasonable size: a FIFO or a device would block
 * or never end (/dev/zero), a huge file would take seconds, and binary data is no catalog.
 */
function readCatalogText(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw usageError(`Cannot read ${file}: ${describeFsError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw usageError(`Cannot read ${file}: not a regular file (${stat.isFIFO() ? 'a FIFO' : stat.isDirectory() ? 'a directory' : 'a device or socket'})`);
    if (stat.size > MAX_CATALOG_BYTES) throw usageError(`Cannot read ${file}: ${formatCount(stat.size)} bytes is over the ${MAX_CATALOG_BYTES / 1024} KiB a catalog may have`);
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_CATALOG_BYTES));
    let read = 0;
    while (read < buffer.length) {
      const got = readSync(fd, buffer, read, buffer.length - read, read);
      if (got === 0) break;
      read += got;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.includes(0) || !isUtf8Text(bytes)) throw usageError(`Cannot read ${file}: binary data, not a YAML text file`);
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function isUtf8Text(bytes: Buffer): boolean {
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD'))) return false;
  // Control characters other than tab, newline and carriage return do not belong in YAML.
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}
