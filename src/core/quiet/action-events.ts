import {hostname} from 'node:os';
import {whoShort} from '../entry/context.js';
import type {Entry} from '../entry/types.js';
import type {QuietLog} from './events.js';

/**
 * What a deploy, restart or rollback tells the watchers of the team: it starts (they go quiet for the
 * service), and how it ended (a grace after a success, none after a failure). A log that cannot be written
 * costs a warning, never the action.
 */
export function actionEvents(open: () => Promise<QuietLog>, warn: (line: string) => void) {
  let log: QuietLog | undefined;
  const write = async (what: string, work: (log: QuietLog) => Promise<void>) => {
    try {
      log ??= await open();
      await work(log);
    } catch (error) {
      warn(`Could not tell the watcher that the run ${what} (${(error as Error).message}); it may alert while the service restarts.`);
    }
  };
  return {
    started: (entry: Entry) =>
      write('started', (log) =>
        log.append({kind: 'action', entry: entry.id, service: entry.services[0], verb: entry.verb, ref: entry.args.ref, ...(entry.rollbackOf ? {rollbackOf: entry.rollbackOf} : {}), who: whoShort(entry.who), at: new Date().toISOString(), host: hostname(), pid: process.pid}),
      ),
    ended: (entry: Entry) => write('ended', (log) => log.append({kind: 'action-end', entry: entry.id, at: new Date().toISOString(), outcome: entry.outcome === 'running' ? 'unknown' : entry.outcome})),
    close: async () => {
      await log?.close().catch(() => {});
    },
  };
}
