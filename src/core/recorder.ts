import type {Entry, EntryEnd} from './entry/types.js';
import {ExitCode} from './exit-codes.js';
import type {Journal} from './journal/journal.js';

/**
 * Where entries go besides the journal (the team's channel). The recorder calls it; verbs never do.
 * Both calls must bound their own time and must not throw: the operation decides the exit code, never the chat.
 */
export interface Mirror {
  /** An action has started: runs alongside the action, never in front of it. */
  started(entry: Entry): Promise<void>;
  /** The entry is complete: deliver it (and anything still waiting) within the mirror's budget. */
  finished(entry: Entry): Promise<void>;
}

/** The embedded default channel: the journal alone. */
export const journalOnly: Mirror = {
  async started() {},
  async finished() {},
};

export interface WorkResult {
  end: Omit<EntryEnd, 'endedAt' | 'durationMs'>;
  /** Full captured output, saved beside the journal for the thread's file. */
  output?: string;
}

export interface RecorderOptions {
  journal: Journal;
  mirror: Mirror;
  /** Masks secrets in anything about to be written or posted. */
  mask: (text: string) => string;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/**
 * The one place every verb passes through: the entry is journaled before the work starts and completed
 * when it ends, however it ends, then handed to the mirror. No verb can skip the record.
 */
export class Recorder {
  constructor(private readonly options: RecorderOptions) {}

  async run(entry: Entry, work: (signal: AbortSignal) => Promise<WorkResult>, {announce}: {announce: boolean}): Promise<Entry> {
    const {journal, mirror, signal} = this.options;
    const started = performance.now();
    journal.append({kind: 'start', entry});
    // The "started" message goes out while the action runs, so a slow channel never delays the work.
    const announcing = announce ? mirror.started(entry) : Promise.resolve();

    let result: WorkResult;
    try {
      result = await work(signal);
    } catch (error) {
      result = {end: {outcome: 'failed', exitCode: ExitCode.failed, summary: this.options.mask((error as Error).message)}};
    }
    if (signal.aborted && result.end.outcome !== 'refused') {
      result.end = {...result.end, outcome: 'interrupted', exitCode: ExitCode.interrupted};
    }

    const completed = this.complete(entry, result, started);
    await announcing;
    await mirror.finished(completed);
    return completed;
  }

  /** A run that was refused before it started (confirmation missing or declined, strict mirror down). */
  async refuse(entry: Entry, reason: string): Promise<Entry> {
    this.options.journal.append({kind: 'start', entry});
    const completed = this.complete(entry, {end: {outcome: 'refused', exitCode: ExitCode.refused, summary: reason}}, performance.now());
    await this.options.mirror.finished(completed);
    return completed;
  }

  private complete(entry: Entry, result: WorkResult, started: number): Entry {
    const {journal, mask} = this.options;
    if (result.output !== undefined && result.output.length > 0) journal.saveOutput(entry.id, mask(result.output));
    const end: EntryEnd = {
      ...result.end,
      summary: result.end.summary === undefined ? undefined : mask(result.end.summary),
      endedAt: new Date().toISOString(),
      durationMs: Math.round(performance.now() - started),
    };
    journal.append({kind: 'end', id: entry.id, end});
    return {...entry, ...end};
  }
}
