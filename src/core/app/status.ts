import {selectServices} from '../catalog/lookup.js';
import type {Catalog} from '../catalog/types.js';
import type {QuietShown} from '../checks/types.js';
import {maskDeep} from '../mask/masker.js';
import {sleep} from '../platform/sleep.js';
import type {QuietLog, QuietRecord} from '../quiet/events.js';
import {openQuietLog, quietServices, quietShown} from '../quiet/quiet.js';
import {runStatus} from '../run/status-run.js';
import type {AppContext, VerbOptions} from './context.js';
import {previewMessage} from './preview.js';
import type {StatusDryRun, StatusResult} from './results.js';

export interface StatusRequest extends VerbOptions {
  /** Services to check; all when empty. */
  services: string[];
  dryRun?: boolean;
}

/** How long a status waits for the team's database to say what is quiet: a status never waits on it longer. */
const QUIET_READ_MS = 1_000;

/** Each quiet service's reason now, or nothing when it cannot be known in time (the status is what matters). */
async function quietNow(app: AppContext, catalog: Catalog): Promise<Map<string, QuietShown>> {
  const now = app.now().getTime();
  const shown = (record: QuietRecord) => new Map([...quietServices(catalog, record, now)].map(([name, reason]) => [name, quietShown(reason, now)]));
  let log: QuietLog | undefined;
  try {
    log = await openQuietLog(app.env, catalog, app.stateDir);
    const record = await Promise.race([log.read(now), sleep(QUIET_READ_MS, app.signal, {unref: true}).then(() => undefined)]);
    return shown(record ?? {actions: [], silences: []});
  } catch {
    return shown({actions: [], silences: []});
  } finally {
    void log?.close().catch(() => {});
  }
}

/** Runs every check of the services under the recorder. */
export async function status(app: AppContext, request: StatusRequest): Promise<StatusResult | StatusDryRun> {
  const session = await app.session(request);
  const services = selectServices(session.catalog, request.services);
  const entry = session.entryFor(services, {verb: 'status', args: {}, reason: request.reason, commandLine: request.commandLine, where: request.where, who: app.deps.who});

  if (request.dryRun) {
    return {dryRun: true, entry, checks: maskDeep(services.map((s) => ({service: s.name, checks: s.checks})), session.mask), message: previewMessage(entry)};
  }

  // What quiets the watcher is read while the checks run: a silenced or maintained service is shown as such.
  const quiet = quietNow(app, session.catalog);
  const recorded = await app.io.progress(`Checking ${services.length} service${services.length === 1 ? '' : 's'}…`, () =>
    session.recorder.run(
      entry,
      async (signal) => {
        const {statuses, ...work} = await runStatus(session.catalog, services, signal, app.env, await quiet);
        return {...work, value: statuses};
      },
      {announce: false},
    ),
  );
  const done = recorded.entry;
  return {ok: done.outcome === 'succeeded', entry: done.id, outcome: done.outcome, summary: done.summary, services: recorded.value ?? [], permalink: recorded.posted?.permalink};
}
