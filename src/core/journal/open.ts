import {usageError} from '../errors.js';
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
