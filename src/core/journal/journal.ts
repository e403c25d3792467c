import {closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Entry, EntryEnd} from '../entry/types.js';

/**
 * The journal is an append-only file of JSON lines; an entry is the fold of its records.
 * Each record is one write(2) on an O_APPEND descriptor, so concurrent foggy processes never interleave
 * inside a line, and a crash can only tear the last line, which readers skip.
 */
export type JournalRecord =
  | {kind: 'start'; entry: Entry}
  | {kind: 'end'; id: string; end: EntryEnd}
  | {kind: 'delivery'; id: string; at: string; step: DeliveryStep; channel?: string; ts?: string};

/**
 * Delivery happens in steps, each recorded once done, so a retry resumes where the last try stopped:
 * posted (root message exists), final (it shows the outcome), thread (output tail), file (whole output).
 * "posting" and "threading" are written before the first try of a post: that post may exist from then on,
 * so any later try looks in the channel first.
 */
export type DeliveryStep = 'posting' | 'posted' | 'final' | 'threading' | 'thread' | 'file';

export interface DeliveryState {
  channel?: string;
  ts?: string;
  steps: DeliveryStep[];
}

export interface JournalEntry extends Entry {
  delivery?: DeliveryState;
}

export class Journal {
  readonly file: string;
  readonly outputDir: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'journal.jsonl');
    this.outputDir = join(dir, 'outputs');
  }

  append(record: JournalRecord): void {
    mkdirSync(this.dir, {recursive: true, mode: 0o700});
    const fd = openSync(this.file, 'a+', 0o600);
    try {
      // If a crash tore the last line, start on a fresh one so this record stays readable.
      const line = (this.endsMidLine(fd) ? '\n' : '') + JSON.stringify(record) + '\n';
      const bytes = Buffer.from(line);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } finally {
      closeSync(fd);
    }
  }

  private endsMidLine(fd: number): boolean {
    const {size} = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 10;
  }

  records(): JournalRecord[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: JournalRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line) as JournalRecord);
      } catch {
        // A torn line from a process killed mid-write: skipped, never fatal.
      }
    }
    return records;
  }

  /** Every entry, in the order they started. */
  entries(): JournalEntry[] {
    const byId = new Map<string, JournalEntry>();
    for (const record of this.records()) {
      if (record.kind === 'start') {
        byId.set(record.entry.id, {...record.entry, ...byId.get(record.entry.id)});
      } else if (record.kind === 'end') {
        const entry = byId.get(record.id);
        if (entry) Object.assign(entry, record.end);
      } else {
        const entry = byId.get(record.id);
        if (!entry) continue;
        const delivery = (entry.delivery ??= {steps: []});
        if (record.channel) delivery.channel = record.channel;
        if (record.ts) delivery.ts = record.ts;
        if (!delivery.steps.includes(record.step)) delivery.steps.push(record.step);
      }
    }
    return [...byId.values()];
  }

  outputFile(id: string): string {
    return join(this.outputDir, `${id}.log`);
  }

  saveOutput(id: string, text: string): void {
    mkdirSync(this.outputDir, {recursive: true, mode: 0o700});
    writeFileSync(this.outputFile(id), text, {mode: 0o600});
  }

  readOutput(id: string): string | undefined {
    try {
      return readFileSync(this.outputFile(id), 'utf8');
    } catch {
      return undefined;
    }
  }
}
