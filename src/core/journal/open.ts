import {accessSync, constants, mkdirSync} from 'node:fs';
import {usageError} from '../errors.js';
import {describeFsError} from '../fs-errors.js';
import {stateDir} from '../paths.js';
import {parseSize} from '../size.js';
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
    mkdirSync(dir, {recursive: true, mode: 0o700});
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw usageError(`Cannot write foggy's state directory ${dir}: ${describeFsError(error)}. Nothing ran.`, 'Set XDG_STATE_HOME to a writable directory.');
  }
  return dir;
}
