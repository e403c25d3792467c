import {appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';

/**
 * A file of JSON records, one per line, appended as they happen: one small write per change, whatever the
 * file holds, so remembering costs the same on the ten-thousandth command as on the first. Rewritten whole
 * only to drop what is no longer needed (atomically, through a temporary file and a rename).
 */
export class JsonLines<T> {
  constructor(readonly file: string) {}

  /** The records in order; a line that is not JSON (a write cut short by a crash) is skipped. */
  read(): T[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: T[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        // A torn last line: what it held was never acknowledged as remembered.
      }
    }
    return records;
  }

  append(record: T): void {
    appendFileSync(this.file, JSON.stringify(record) + '\n', {mode: 0o600});
  }

  rewrite(records: Iterable<T>): void {
    mkdirSync(dirname(this.file), {recursive: true, mode: 0o700});
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, [...records].map((record) => JSON.stringify(record) + '\n').join(''), {mode: 0o600});
    renameSync(temporary, this.file);
  }
}
