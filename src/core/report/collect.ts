import type {Entry} from '../entry/types.js';
import type {Run} from './metrics.js';

/** The verbs a report counts (status runs are none of its business). */
export const REPORTED_VERBS: ReadonlySet<string> = new Set(['deploy', 'restart', 'rollback', 'incident', 'silence']);

/**
 * The runs a report counts, from entries read in any order, as often as they appear (a message and a digest,
 * two journals): each id once, in its most complete state (finished over running; the later end).
 */
export class RunCollector {
  private readonly runs = new Map<string, Run>();
  /** Entries seen more than once (kept once). */
  duplicates = 0;
  /** Entries without a valid start time or service. */
  malformed = 0;
  /** Entries read, of every verb. */
  read = 0;

  constructor(private readonly services?: ReadonlySet<string>) {}

  add(entry: Entry): void {
    this.read++;
    if (!REPORTED_VERBS.has(entry.verb)) return;
    const service = entry.services[0];
    const startedAt = Date.parse(entry.startedAt);
    if (typeof service !== 'string' || Number.isNaN(startedAt)) {
      this.malformed++;
      return;
    }
    if (this.services && !this.services.has(service)) return;
    const endedAt = entry.endedAt === undefined ? undefined : Date.parse(entry.endedAt);
    const committedAt = entry.where?.committedAt === undefined ? undefined : Date.parse(entry.where.committedAt);
    const ended = endedAt !== undefined && !Number.isNaN(endedAt) ? endedAt : undefined;
    // Every run has the same fields (absent ones undefined): a year is tens of thousands of runs, and objects of
    // one shape take less memory than objects of many.
    const run: Run = {
      id: entry.id,
      verb: entry.verb as Run['verb'],
      service,
      outcome: entry.outcome,
      startedAt,
      endedAt: ended,
      commit: entry.where?.commit || undefined,
      committedAt: committedAt !== undefined && !Number.isNaN(committedAt) ? committedAt : undefined,
      began: entry.verb === 'incident' && entry.incident?.began ? true : undefined,
      rollbackOf: entry.verb === 'rollback' ? entry.rollbackOf : undefined,
      silence: entry.verb === 'silence' && entry.silence ? {id: entry.silence.id, services: entry.silence.services, from: Date.parse(entry.silence.from), until: Date.parse(entry.silence.until), ...(entry.silence.end ? {end: entry.silence.end} : {})} : undefined,
    };
    const known = this.runs.get(run.id);
    if (known) {
      this.duplicates++;
      if (!moreComplete(run, known)) return;
    }
    this.runs.set(run.id, run);
  }

  all(): Run[] {
    return [...this.runs.values()];
  }
}

function moreComplete(candidate: Run, known: Run): boolean {
  if (known.outcome === 'running' && candidate.outcome !== 'running') return true;
  if (candidate.outcome === 'running' && known.outcome !== 'running') return false;
  return (candidate.endedAt ?? 0) > (known.endedAt ?? 0);
}
