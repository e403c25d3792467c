import type {Note} from '../errors/remedy.js';
import type {ActionRun} from '../quiet/events.js';
import type {HistoryStore, IncidentRow, RoundSample} from './store.js';

/**
 * The watcher's side of the history: each round's samples written and rolled up, the incidents it opens and
 * resolves, the deploys it learns of. A history that cannot be written costs a note (once per problem), never a
 * round: the watcher keeps watching and alerting.
 */
export class HistoryKeeper {
  private problem?: string;
  private readonly runs = new Map<string, string>();

  constructor(
    private readonly store: HistoryStore,
    private readonly note: Note,
  ) {}

  async round(at: number, samples: readonly RoundSample[], actions: readonly ActionRun[]): Promise<void> {
    await this.safely(async () => {
      await this.store.record(at, samples);
      for (const run of actions) {
        // Written when first seen and when it ends: a run is a row, whatever the number of rounds it spans.
        const state = `${run.endedAt ?? ''}`;
        if (this.runs.get(run.entry) === state) continue;
        await this.store.saveRun({entry: run.entry, service: run.service, verb: run.verb, ref: run.ref, who: run.who, started: run.startedAt, ended: run.endedAt, outcome: run.outcome, rollbackOf: run.rollbackOf});
        this.runs.set(run.entry, state);
      }
      await this.store.maintain(at);
    });
  }

  async incident(row: IncidentRow): Promise<void> {
    await this.safely(() => this.store.saveIncident(row));
  }

  private async safely(work: () => Promise<void>): Promise<void> {
    try {
      await work();
      this.problem = undefined;
    } catch (error) {
      const problem = (error as Error).message;
      if (this.problem !== problem) this.note(`Could not keep the history (${problem}); the watcher goes on, and tries again next round.`);
      this.problem = problem;
    }
  }

  async close(): Promise<void> {
    await this.store.close().catch(() => {});
  }
}
