import {appendFileSync, readFileSync, renameSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {environmentError, isEnvironmentError} from '../errors/environment.js';
import {foldQuiet, type QuietEvent, type QuietLog, type QuietRecord} from './events.js';

/** Past this size the file starts anew (the older one kept beside it): what is read each round stays small. */
const ROTATE_BYTES = 512 * 1024;

/**
 * The quiet events in the state directory (quiet.jsonl, and quiet.1.jsonl before it): one line each, written
 * with one append, so processes writing at once never mix their lines, and a torn last line is skipped. A
 * watcher reads both files each round: they hold days of deploys and silences, never years.
 */
export class LocalQuietLog implements QuietLog {
  private readonly file: string;
  private readonly older: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'quiet.jsonl');
    this.older = join(stateDir, 'quiet.1.jsonl');
  }

  async append(event: QuietEvent): Promise<void> {
    this.appendNow(event);
  }

  appendNow(event: QuietEvent): void {
    try {
      if (size(this.file) > ROTATE_BYTES) renameSync(this.file, this.older);
      appendFileSync(this.file, JSON.stringify(event) + '\n', {mode: 0o600});
    } catch (error) {
      if (isEnvironmentError(error)) throw environmentError(error, 'write', this.file, 'state');
      throw error;
    }
  }

  async read(): Promise<QuietRecord> {
    return foldQuiet([...lines(this.older), ...lines(this.file)]);
  }

  async close(): Promise<void> {}
}

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function lines(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      // Folded only if it has an event's shape (foldQuiet checks each).
      events.push(JSON.parse(line));
    } catch {
      // A torn last line (a process killed mid-write): skipped, never fatal.
    }
  }
  return events;
}
