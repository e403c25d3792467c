import {accessSync, constants, mkdirSync, statSync} from 'node:fs';
import {dirname} from 'node:path';
import {usageError} from '../errors/foggy-error.js';
import {describeFsError, remedy} from '../errors/environment.js';
import {stateDir} from '../platform/paths.js';
import {parseSize} from '../text/size.js';
import {Journal, type JournalOptions} from './journal.js';

/** Journal settings from the environment: FOGGY_JOURNAL_MAX_SIZE (rotate past it; 0 never rotates). */
export function journalOptions(env: NodeJS.ProcessEnv = process.env): JournalOptions {
  const value = env.FOGGY_JOURNAL_MAX_SIZE;
  if (!value) return {};
  try {
    return {maxBytes: parseSize(value)};
  } catch (error) {
    throw usageError(`FOGGY_JOURNAL_MAX_SIZE: ${(error as Error).message}`);
  }
}

export function openJournal(env: NodeJS.ProcessEnv = process.env): Journal {
  return new Journal(stateDir(env), journalOptions(env));
}

/**
 * The state directory, created (0700) and writable, or a usage error naming it: a run must know it can
 * record before it runs anything.
 */
export function writableStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = stateDir(env);
  try {
    makeDirectory(dir);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw usageError(`Cannot write foggy's state directory ${dir}: ${describeFsError(error)}. Nothing ran.`, remedy(error, 'state'));
  }
  return dir;
}

/**
 * mkdir -p, with the error of the directory that could not be made: a recursive mkdir on a read-only mount
 * says "no such file", where making its first missing directory says "read-only file system".
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let path = dir; ; path = dirname(path)) {
    try {
      statSync(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(path) === path) throw error;
      missing.unshift(path);
    }
  }
  for (const path of missing) {
    try {
      mkdirSync(path, {mode: 0o700});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), {code: 'ENOTDIR', path: dir});
}
