import {FoggyError, type FailureKind} from './foggy-error.js';

/**
 * The environment's own problems (a full disk, a read-only mount, a file where a directory should be, too
 * many open files) said as such: the path, what went wrong in words, and what to do. They are never
 * reported as a bug in foggy.
 */

/** A file-system error in words a user can act on ("permission denied", not EACCES). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  return WORDS[code] ?? (error as Error | undefined)?.message ?? String(error);
}

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a file is in the way where a directory should be',
  EEXIST: 'a file is in the way',
  EISDIR: 'a directory is in the way where a file should be',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'a loop of symbolic links',
  ENOENT: 'no such file',
  EMFILE: 'too many open files (the process limit)',
  ENFILE: 'too many open files (the system limit)',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'an input/output error from the device',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
};

/** The errors of the environment, not of foggy: a full disk, permissions, limits, a path that cannot be. */
const ENVIRONMENT_CODES = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EISDIR', 'EROFS', 'ENOSPC', 'EDQUOT', 'ELOOP', 'EMFILE', 'ENFILE', 'ENAMETOOLONG', 'EIO', 'EEXIST', 'EBUSY', 'ETXTBSY']);

export function isEnvironmentError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && ENVIRONMENT_CODES.has(code);
}

/** Which of foggy's places a path is in, for the variable that moves it. */
export type Place = 'state' | 'config' | 'cache' | 'temp' | 'catalog' | 'other';

const MOVED_BY: Record<Place, string> = {
  state: 'set XDG_STATE_HOME to a writable directory',
  config: 'set XDG_CONFIG_HOME to a writable directory',
  cache: 'set XDG_CACHE_HOME to a writable directory',
  temp: 'set TMPDIR to a writable directory',
  catalog: 'point FOGGY_CONFIG (or the front end\'s config option) at another file',
  other: 'use another path',
};

/** What to do about an error of the environment at a path in one of foggy's places. */
export function remedy(error: unknown, place: Place): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const moved = MOVED_BY[place];
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      return `Free some space there, or ${moved}.`;
    }
    case 'EACCES':
    case 'EPERM': {
      return `Give your user access to it (its owner and mode), or ${moved}.`;
    }
    case 'EROFS': {
      return `It is on a read-only file system: ${moved}.`;
    }
    case 'ENOTDIR':
    case 'EISDIR':
    case 'EEXIST': {
      return `Move what is in the way, or ${moved}.`;
    }
    case 'ELOOP': {
      return `Fix the symbolic links on that path, or ${moved}.`;
    }
    case 'ENAMETOOLONG': {
      return `Use a shorter path: ${moved}.`;
    }
    case 'EMFILE':
    case 'ENFILE': {
      return 'Raise the limit on open files (ulimit -n), or close what holds so many.';
    }
    default: {
      return `Check the device, or ${moved}.`;
    }
  }
}

/**
 * The error as a usage error (unless said otherwise): "Cannot <doing> <path>: <words>", with what to do
 * as its hint. For use where nothing has run yet; after an action ran, its exit code is kept and a note says this.
 */
export function environmentError(error: unknown, doing: string, path: string | undefined, place: Place, kind: FailureKind = 'usage'): FoggyError {
  const where = path ?? (error as NodeJS.ErrnoException | undefined)?.path;
  return new FoggyError(`Cannot ${doing}${where ? ` ${where}` : ''}: ${describeFsError(error)}.`, {kind, hint: remedy(error, place), cause: error});
}

/** Where a path lies among foggy's places, from the environment that chose them. */
export function placeOf(path: string | undefined, dirs: {state: string; config: string; cache: string; temp: string}): Place {
  if (!path) return 'other';
  for (const place of ['state', 'config', 'cache', 'temp'] as const) {
    if (path === dirs[place] || path.startsWith(`${dirs[place]}/`)) return place;
  }
  return 'other';
}

/**
 * An error no use case put in words, when it is the environment's (a full disk, a read-only directory, too many
 * open files): said as one line naming the path. Undefined for anything else, which is a bug.
 */
export function environmentFailure(error: unknown, dirs: {state: string; config: string; cache: string; temp: string}): FoggyError | undefined {
  if (!isEnvironmentError(error)) return undefined;
  return environmentError(error, 'use', error.path, placeOf(error.path, dirs));
}
