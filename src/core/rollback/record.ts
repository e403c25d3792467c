import type {Coordination} from '../coordination/settings.js';
import {openDatabase} from '../coordination/database.js';
import type {Entry} from '../entry/types.js';
import {whoShort} from '../entry/context.js';
import type {DeployRun} from './target.js';

/** How many of a service's deploys and rollbacks each source is read for: far more than any rollback goes back. */
export const RUNS_READ = 200;

/** The verbs a rollback reads: a journal is mostly status runs, passed over unparsed. */
export const DEPLOY_VERBS: ReadonlySet<string> = new Set(['deploy', 'rollback']);

const isDeployVerb = (verb: string): verb is DeployRun['verb'] => DEPLOY_VERBS.has(verb);

/** Whether an entry is a deploy or rollback of the service (what rollback reads). */
export function deployOf(service: string): (entry: Entry) => boolean {
  return (entry) => isDeployVerb(entry.verb) && entry.services[0] === service;
}

/** A recorded entry as a run to choose from; undefined for other verbs. */
export function deployRunOf(entry: Entry): DeployRun | undefined {
  if (!isDeployVerb(entry.verb)) return undefined;
  const startedAt = Date.parse(entry.startedAt);
  if (Number.isNaN(startedAt) || typeof entry.services[0] !== 'string') return undefined;
  const endedAt = entry.endedAt === undefined ? Number.NaN : Date.parse(entry.endedAt);
  const ref = entry.args.ref;
  return {
    id: entry.id,
    verb: entry.verb,
    service: entry.services[0],
    ...(ref === undefined ? {} : {ref}),
    // A digest's line cuts a long ref and ends it with "…": not a ref to deploy again.
    ...(ref?.endsWith('…') ? {refCut: true} : {}),
    outcome: entry.outcome,
    startedAt,
    ...(Number.isNaN(endedAt) ? {} : {endedAt}),
    ...(entry.rollbackOf ? {rollbackOf: entry.rollbackOf} : {}),
    who: whoShort(entry.who),
  };
}

/**
 * The same runs read from several sources (the journal, the channel, the team's database), each once, in its
 * most complete state: finished over running, a whole ref over a cut one.
 */
export function mergeRuns(...sources: readonly DeployRun[][]): DeployRun[] {
  const runs = new Map<string, DeployRun>();
  for (const run of sources.flat()) {
    const known = runs.get(run.id);
    if (!known) {
      runs.set(run.id, run);
      continue;
    }
    const finished = known.outcome === 'running' && run.outcome !== 'running' ? run : run.outcome === 'running' && known.outcome !== 'running' ? known : (run.endedAt ?? 0) > (known.endedAt ?? 0) ? run : known;
    const other = finished === run ? known : run;
    const merged = {...finished};
    if (!merged.ref || merged.refCut) {
      if (other.ref && !other.refCut) {
        merged.ref = other.ref;
        delete merged.refCut;
      }
    }
    merged.rollbackOf ??= other.rollbackOf;
    runs.set(run.id, merged);
  }
  return [...runs.values()];
}

/** The service's deploys and rollbacks the team's database holds (every machine writes them as they run). */
export async function teamRuns(target: Extract<Coordination, {kind: 'postgres'}>, service: string): Promise<DeployRun[]> {
  const db = await openDatabase(target, {name: 'foggy rollback'});
  try {
    const rows = await db.query<{entry: string; service: string; verb: string; ref: string | null; who: string | null; started: string; ended: string | null; outcome: string | null; rollback_of: string | null}>(
      "select entry, service, verb, ref, who, started, ended, outcome, rollback_of from foggy.history_runs where service = $1 and verb in ('deploy', 'rollback') order by started desc limit $2",
      [service, RUNS_READ],
    );
    return rows.map((row) => ({
      id: row.entry,
      verb: row.verb as DeployRun['verb'],
      service: row.service,
      ...(row.ref ? {ref: row.ref} : {}),
      // No end yet: running, or its process died before it said (the channel or the journal may know better).
      outcome: (row.outcome ?? 'running') as DeployRun['outcome'],
      startedAt: Number(row.started),
      ...(row.ended === null ? {} : {endedAt: Number(row.ended)}),
      ...(row.rollback_of ? {rollbackOf: row.rollback_of} : {}),
      ...(row.who ? {who: row.who} : {}),
    }));
  } finally {
    await db.close();
  }
}
