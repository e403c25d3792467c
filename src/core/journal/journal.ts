import {closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Entry, EntryEnd} from '../entry/types.js';
import {shortHash} from '../text/hash.js';
import {environmentError, isEnvironmentError} from '../errors/environment.js';
import {tryLock} from '../locks/pid-lock.js';

/**
 * The journal is an append-only file of JSON lines; an entry is the fold of its records.
 * Each record is one write(2) on an O_APPEND descriptor, so concurrent foggy processes never interleave
 * inside a line, and a crash can only tear the last line, which readers skip.
 * It rotates by size (journal.jsonl → journal.1.jsonl → …), and recent history is read from the end,
 * so reading the last entries costs what they hold, not what the journal has grown to.
 */
export type JournalRecord =
  | {kind: 'start'; entry: Entry}
  | {kind: 'end'; id: string; end: EntryEnd}
  | {kind: 'delivery'; id: string; at: string; step: DeliveryStep; channel?: string; ts?: string; digest?: string; reason?: string};

/**
 * Delivery happens in steps, each recorded once done, so a retry resumes where the last try stopped:
 * posted (root message exists), final (it shows the outcome), thread (output tail), file (whole output).
 * "posting", "threading" and "digesting" are written before the first try of a post: that post may exist
 * from then on, so any later try looks in the channel first. "undeliverable" sets an entry aside (Slack
 * refused it for good); "retry" puts it back in line; "dropped" takes it out of the outbox for good.
 * "unposted" says that every try of a post failed in a way that proves nothing was posted (a 429, a refused
 * connection), which clears "posting"/"digesting": the entry is as fresh as before, and may join a digest.
 */
export type DeliveryStep =
  | 'posting'
  | 'unposted'
  | 'posted'
  | 'final'
  | 'threading'
  | 'thread'
  | 'file'
  | 'digesting'
  | 'undeliverable'
  | 'retry'
  | 'dropped'
  /** An incident's root message now shows it resolved; its recovery is being posted, then is, in the thread. */
  | 'closed'
  | 'recovering'
  | 'recovered';

export interface DeliveryState {
  channel?: string;
  ts?: string;
  steps: DeliveryStep[];
  /** The digest message this entry is (being) delivered in. */
  digest?: string;
  /** The process that made the entry is done with it: any other process may deliver it. */
  handedOver?: boolean;
  /** Slack refused it for good: set aside until `foggy outbox --retry`. */
  refused?: {code: string; at: string};
  dropped?: boolean;
}

export interface JournalEntry extends Entry {
  delivery?: DeliveryState;
}

export interface JournalOptions {
  /** Rotate when the current file passes this many bytes (0: never). */
  maxBytes?: number;
  /** How many rotated files to keep. */
  keep?: number;
  /** Where a record that could not be appended (a full disk) waits for the next append (default: under the temp directory). */
  deferredDir?: string;
}

export const DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024;
export const DEFAULT_JOURNAL_KEEP = 3;
const CHUNK = 64 * 1024;

export class Journal {
  readonly file: string;
  readonly outputDir: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  /** Lines the last read skipped: torn by a crash, or not records of foggy's. */
  skipped = 0;
  readonly deferredDir: string;
  private deferredChecked = false;

  constructor(
    readonly dir: string,
    options: JournalOptions = {},
  ) {
    this.file = join(dir, 'journal.jsonl');
    this.outputDir = join(dir, 'outputs');
    this.maxBytes = options.maxBytes ?? DEFAULT_JOURNAL_MAX_BYTES;
    this.keep = Math.max(1, options.keep ?? DEFAULT_JOURNAL_KEEP);
    this.deferredDir = options.deferredDir ?? join(tmpdir(), `foggy-${process.getuid?.() ?? 'user'}`, 'deferred', shortHash(dir));
  }

  append(record: JournalRecord): void {
    mkdirSync(this.dir, {recursive: true, mode: 0o700});
    this.appendLine(record);
    // Records that could not be written earlier (a full disk) are written as soon as writing works again.
    if (!this.deferredChecked) {
      this.deferredChecked = true;
      this.completeDeferred();
    }
  }

  /**
   * Keeps a record that could not be appended (the disk is full) on another file system, the temporary one,
   * so that the next run that can write the journal completes it. Returns whether it could be kept.
   */
  defer(record: JournalRecord & {id: string}): boolean {
    try {
      mkdirSync(this.deferredDir, {recursive: true, mode: 0o700});
      // The temporary directory is shared: keep nothing in a directory someone else owns or can read.
      const stat = lstatSync(this.deferredDir);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o077) !== 0) return false;
      writeFileSync(join(this.deferredDir, `${record.id}-${Date.now()}.json`), JSON.stringify(record), {mode: 0o600});
      return true;
    } catch {
      return false;
    }
  }

  private completeDeferred(): void {
    let names: string[];
    try {
      names = readdirSync(this.deferredDir).filter((name) => name.endsWith('.json')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const file = join(this.deferredDir, name);
      try {
        const record = parseRecord(readFileSync(file, 'utf8'));
        if (record) this.appendLine(record);
        rmSync(file, {force: true});
      } catch {
        return; // Still no room: the next run tries again.
      }
    }
  }

  private appendLine(record: JournalRecord): void {
    const fd = openSync(this.file, 'a+', 0o600);
    let size: number;
    try {
      // If a crash tore the last line, start on a fresh one so this record stays readable.
      const line = (this.endsMidLine(fd) ? '\n' : '') + JSON.stringify(record) + '\n';
      const bytes = Buffer.from(line);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    if (this.maxBytes > 0 && size >= this.maxBytes) this.rotate();
  }

  private endsMidLine(fd: number): boolean {
    const {size} = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 10;
  }

  /** journal.jsonl → journal.1.jsonl → … → journal.N.jsonl (the oldest is dropped). One rotator at a time. */
  private rotate(): void {
    const attempt = tryLock(join(this.dir, 'journal.rotate.lock'), {what: 'rotate'});
    if (!attempt.acquired) return;
    try {
      // Another process may have rotated already.
      if (statSync(this.file).size < this.maxBytes) return;
      for (let index = this.keep - 1; index >= 1; index--) {
        try {
          renameSync(this.rotated(index), this.rotated(index + 1));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      renameSync(this.file, this.rotated(1));
    } catch {
      // Rotation is housekeeping: a run must never fail for it.
    } finally {
      attempt.lock.release();
    }
  }

  private rotated(index: number): string {
    return join(this.dir, `journal.${index}.jsonl`);
  }

  /** The journal's files, newest first. */
  files(): string[] {
    return [this.file, ...Array.from({length: this.keep}, (_, i) => this.rotated(i + 1))];
  }

  /** Every record, oldest first (every file). For tools and tests: recent() is the fast path. */
  records(): JournalRecord[] {
    this.skipped = 0;
    const records: JournalRecord[] = [];
    for (const file of this.files().reverse()) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw environmentError(error, 'read the journal', file, 'state');
      }
      for (const line of text.split('\n')) {
        const record = parseRecord(line);
        if (record) records.push(record);
        else if (line.trim()) this.skipped++;
      }
    }
    return records;
  }

  /** Every entry, in the order they started. */
  entries(): JournalEntry[] {
    return fold(this.records());
  }

  /**
   * The newest `limit` entries that `filter` accepts, judged on the entry as it is now (its outcome, its
   * delivery), newest first. Reads backwards from the end of the newest file, and stops as soon as it has
   * them: every record of an entry comes after its start, so at its start it has read them all. With `verbs`,
   * entries of other verbs are passed over unparsed (see readBackwards).
   */
  recent(limit: number, filter: (entry: JournalEntry) => boolean = () => true, options: {verbs?: ReadonlySet<string>} = {}): JournalEntry[] {
    const found: JournalEntry[] = [];
    if (limit <= 0) return found;
    this.readBackwards((entry) => {
      if (filter(entry)) found.push(entry);
      return found.length < limit;
    }, options);
    return found;
  }

  /**
   * Entries newest first (by start), each folded with its later records, for as long as `visit` asks: it gets
   * each entry, and the ends read so far whose starts are further back (an incident opened before and
   * resolved after a point it cares about). Memory holds only those ends, never the whole journal.
   */
  readBackwards(visit: (entry: JournalEntry, unmatchedEnds: ReadonlyMap<string, JournalRecord[]>) => boolean, options: {verbs?: ReadonlySet<string>} = {}): void {
    this.skipped = 0;
    const laterRecords = new Map<string, JournalRecord[]>();
    for (const file of this.files()) {
      for (const line of linesBackwards(file)) {
        // Entries of other verbs are passed over unparsed (a year of status runs is most of a journal), their
        // later records let go of: foggy writes an entry's id and verb first, so a look at the line's start tells.
        if (options.verbs) {
          const start = START_OF_ENTRY.exec(line);
          if (start && !options.verbs.has(start[2])) {
            laterRecords.delete(start[1]);
            continue;
          }
        }
        const record = parseRecord(line);
        if (!record) {
          if (line.trim()) this.skipped++;
          continue;
        }
        if (record.kind !== 'start') {
          const list = laterRecords.get(record.id);
          if (list) list.push(record);
          else laterRecords.set(record.id, [record]);
          continue;
        }
        const later = laterRecords.get(record.entry.id) ?? [];
        laterRecords.delete(record.entry.id);
        const [entry] = fold([record, ...later.reverse()]);
        if (!visit(entry, laterRecords)) return;
      }
    }
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

/** The start of a start record as foggy writes it: its entry's id, then its verb. */
const START_OF_ENTRY = /^\{"kind":"start","entry":\{"id":"([\w-]{1,64})","verb":"(\w+)"/;

function parseRecord(line: string): JournalRecord | undefined {
  if (!line) return undefined;
  try {
    const record = JSON.parse(line) as JournalRecord;
    if (record?.kind === 'start' && isEntryShape(record.entry)) return record;
    if ((record?.kind === 'end' || record?.kind === 'delivery') && typeof record.id === 'string') return record;
  } catch {
    // A torn line from a process killed mid-write: skipped, never fatal.
  }
  return undefined;
}

/** Enough of an entry's shape that every reader can show it: anything else is skipped, never a TypeError. */
export function isEntryShape(value: unknown): value is Entry {
  const entry = value as Entry | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.id === 'string' &&
    typeof entry.verb === 'string' &&
    typeof entry.outcome === 'string' &&
    typeof entry.startedAt === 'string' &&
    Array.isArray(entry.services) &&
    entry.services.every((service) => typeof service === 'string') &&
    typeof entry.who === 'object' &&
    entry.who !== null &&
    typeof entry.who.user === 'string' &&
    typeof entry.who.host === 'string' &&
    typeof entry.where === 'object' &&
    entry.where !== null &&
    (entry.args === undefined || (typeof entry.args === 'object' && entry.args !== null))
  );
}

/** Folds records (oldest first) into entries; with `only`, just those ids. */
function fold(records: JournalRecord[], only?: Set<string>): JournalEntry[] {
  const byId = new Map<string, JournalEntry>();
  for (const record of records) {
    if (record.kind === 'start') {
      if (only && !only.has(record.entry.id)) continue;
      byId.set(record.entry.id, {...record.entry, ...byId.get(record.entry.id)});
      continue;
    }
    const entry = byId.get(record.id);
    if (!entry) continue;
    if (record.kind === 'end') {
      Object.assign(entry, record.end);
      continue;
    }
    const delivery = (entry.delivery ??= {steps: []});
    if (record.channel) delivery.channel = record.channel;
    if (record.ts) delivery.ts = record.ts;
    if (record.digest) delivery.digest = record.digest;
    if (record.step === 'undeliverable') delivery.refused = {code: record.reason ?? 'refused', at: record.at};
    else if (record.step === 'retry') delete delivery.refused;
    else if (record.step === 'dropped') delivery.dropped = true;
    else if (record.step === 'unposted') clearAttempt(delivery);
    else if (!delivery.steps.includes(record.step)) delivery.steps.push(record.step);
  }
  return [...byId.values()];
}

/** Forgets a post attempt that is known not to have posted anything. */
export function clearAttempt(delivery: DeliveryState): void {
  delivery.steps = delivery.steps.filter((step) => step !== 'posting' && step !== 'digesting');
  delete delivery.digest;
}

/** The lines of a file from the last to the first, read in chunks from the end. */
function* linesBackwards(file: string): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw environmentError(error, 'read the journal', file, 'state');
  }
  try {
    yield* readBackwards(fd);
  } catch (error) {
    // A directory where the journal should be opens, and fails at its first read.
    if (isEnvironmentError(error)) throw environmentError(error, 'read the journal', file, 'state');
    throw error;
  } finally {
    closeSync(fd);
  }
}

function* readBackwards(fd: number): Generator<string> {
  let position = fstatSync(fd).size;
  // One working buffer, reused: a chunk read in front of what is left of the last one (a line cut in two). It
  // grows only for a line longer than itself, so reading a journal of any size allocates no buffer per chunk.
  let work = Buffer.allocUnsafe(CHUNK * 2);
  let carried = 0;
  while (position > 0) {
    const length = Math.min(CHUNK, position);
    position -= length;
    if (length + carried > work.length) {
      const larger = Buffer.allocUnsafe((length + carried) * 2);
      work.copy(larger, length, 0, carried);
      work = larger;
    } else if (carried > 0) {
      work.copy(work, length, 0, carried);
    }
    readSync(fd, work, 0, length, position);
    let end = length + carried;
    for (let index = work.lastIndexOf(10, end - 1); index !== -1; index = index === 0 ? -1 : work.lastIndexOf(10, index - 1)) {
      if (index + 1 < end) yield work.toString('utf8', index + 1, end);
      end = index;
      if (index === 0) break;
    }
    carried = end;
  }
  if (carried > 0) yield work.toString('utf8', 0, carried);
}
