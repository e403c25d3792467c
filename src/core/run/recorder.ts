import type {Entry, EntryEnd, Outcome} from '../entry/types.js';
import {usageError} from '../errors/foggy-error.js';
import {describeFsError, remedy} from '../errors/environment.js';
import type {Note, Remedy} from '../errors/remedy.js';
import type {Journal} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import {maskDeep, type Mask} from '../mask/masker.js';

/**
 * Where entries go besides the journal (the team's channel). The recorder calls it; verbs never do.
 * Calls bound their own time and never throw: the operation decides the exit code, never the chat.
 */
export interface Mirror {
  /** Strict mode: an action may start only once its "started" message is in the channel. */
  readonly required: boolean;
  /** A run begins: get ready to post while the work runs (loading the Slack client is not free). */
  prepare(): void;
  /** An action has started; resolves to whether the channel has it. */
  started(entry: Entry): Promise<boolean>;
  /** The entry is complete: deliver it (and anything still waiting) within the mirror's budget; where it landed, when it did. */
  finished(entry: Entry): Promise<Posted | undefined>;
  /** Why the channel could not be reached, for a strict-mode refusal. */
  readonly problem?: {code: string; hint?: string; remedy?: Remedy};
}

/** The embedded default channel: the journal alone. */
export const journalOnly: Mirror = {
  required: false,
  prepare() {},
  async started() {
    return false;
  },
  async finished() {
    return undefined;
  },
};

/** Where an entry's message is in the channel. */
export interface Posted {
  channel: string;
  ts: string;
  /** A link to the message, when Slack gave one in time. */
  permalink?: string;
}

/** What a recorded run gives back: the completed entry, the work's own result, and where the channel has it. */
export interface Recorded<T> {
  entry: Entry;
  value?: T;
  posted?: Posted;
}

export interface WorkResult<T = undefined> {
  end: Omit<EntryEnd, 'endedAt' | 'durationMs' | 'exitCode'>;
  /** Full captured output, saved (masked) beside the journal for the thread's file. */
  output?: string;
  /** The work's own result (a status's per-service report), masked like the entry and handed back to the caller. */
  value?: T;
}

export interface RecorderOptions {
  journal: Journal;
  outbox: Outbox;
  mirror: Mirror;
  /** Masks secrets in anything about to be written or posted. */
  mask: Mask;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** One line for the user (stderr), when something could not be recorded. */
  note?: Note;
  /** The clock entries are stamped with. */
  now?: () => Date;
  /** The status the front end reports for an outcome (a shell's exit code), kept in the entry: the record shows what its caller saw. */
  exitCodeOf?: (outcome: Outcome) => number | undefined;
}

/**
 * The one place every verb passes through: the entry is journaled before the work starts and completed
 * when it ends, however it ends, then handed to the mirror. No verb can skip the record.
 */
export class Recorder {
  constructor(private readonly options: RecorderOptions) {}

  async run<T = undefined>(unmasked: Entry, work: (signal: AbortSignal) => Promise<WorkResult<T>>, {announce}: {announce: boolean}): Promise<Recorded<T>> {
    const {mirror, signal} = this.options;
    const started = performance.now();
    mirror.prepare();
    const entry = this.begin(unmasked);

    if (announce && mirror.required && !(await mirror.started(entry))) {
      return this.finish(entry, {end: {outcome: 'refused', summary: `refused: the mirror is required and the channel cannot be reached (${mirror.problem?.code ?? 'unknown problem'})`}}, started);
    }
    // The "started" message goes out while the action runs, so a slow channel never delays the work;
    // the mirror's finished() waits for it, within its own budget.
    if (announce && !mirror.required) void mirror.started(entry);

    let result: WorkResult<T>;
    try {
      result = await work(signal);
    } catch (error) {
      result = {end: {outcome: 'failed', summary: (error as Error).message}};
    }
    if (signal.aborted && result.end.outcome !== 'refused') {
      result.end = {...result.end, outcome: 'interrupted'};
    }
    return this.finish(entry, result, started);
  }

  /** A run that was refused before it started (confirmation missing or declined). */
  async refuse(unmasked: Entry, reason: string): Promise<Entry> {
    return (await this.finish(this.begin(unmasked), {end: {outcome: 'refused', summary: reason}}, performance.now())).entry;
  }

  private begin(unmasked: Entry): Entry {
    const entry = maskDeep(unmasked, this.options.mask);
    try {
      this.options.journal.append({kind: 'start', entry});
      if (entry.channel) this.options.outbox.put(entry);
    } catch (error) {
      // No record, no run: the journal is written before anything else, or nothing happens.
      throw usageError(`Cannot write the journal in ${this.options.journal.dir}: ${describeFsError(error)}. Nothing ran.`, remedy(error, 'state'));
    }
    return entry;
  }

  private async finish<T>(entry: Entry, result: WorkResult<T>, started: number): Promise<Recorded<T>> {
    const {journal, outbox, mask, mirror} = this.options;
    const end: EntryEnd = maskDeep(
      {...result.end, exitCode: this.options.exitCodeOf?.(result.end.outcome), endedAt: (this.options.now?.() ?? new Date()).toISOString(), durationMs: Math.round(performance.now() - started)},
      mask,
    );
    const completed = {...entry, ...end};
    // What the caller shows is masked like what is recorded: check names carry URLs, details carry output.
    const value = result.value === undefined ? undefined : maskDeep(result.value, mask);
    // The work has happened: a full disk must not change its exit code. Say what could not be written,
    // and keep the end elsewhere, so that the next run able to write the journal completes the entry.
    try {
      journal.append({kind: 'end', id: entry.id, end});
    } catch (error) {
      const kept = journal.defer({kind: 'end', id: entry.id, end}) ? ' it is kept aside and will be written by the next run that can;' : '';
      this.options.note?.(`Could not write the end of entry ${entry.id} to the journal in ${journal.dir} (${describeFsError(error)});${kept} the exit code is still the operation's. ${remedy(error, 'state')}`);
      return {entry: completed, value};
    }
    if (result.output !== undefined && result.output.length > 0) {
      try {
        journal.saveOutput(entry.id, mask(result.output));
      } catch (error) {
        this.options.note?.(`Could not keep the output of entry ${entry.id} in ${journal.outputDir} (${describeFsError(error)}); the entry itself is recorded.`);
      }
    }
    if (completed.channel) {
      try {
        outbox.put(completed);
      } catch (error) {
        // The start is in the outbox already: it is delivered, and the journal has its end for the message.
        this.options.note?.(`Could not update entry ${entry.id} in the outbox ${outbox.dir} (${describeFsError(error)}); the journal has it. ${remedy(error, 'state')}`);
        return {entry: completed, value};
      }
    }
    const posted = await mirror.finished(completed);
    return {entry: completed, value, posted};
  }
}
