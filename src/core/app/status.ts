import {selectServices} from '../catalog/lookup.js';
import {maskDeep} from '../mask/masker.js';
import {runStatus} from '../run/status-run.js';
import type {AppContext, VerbOptions} from './context.js';
import {previewMessage} from './preview.js';
import type {StatusDryRun, StatusResult} from './results.js';

export interface StatusRequest extends VerbOptions {
  /** Services to check; all when empty. */
  services: string[];
  dryRun?: boolean;
}

/** Runs every check of the services under the recorder. */
export async function status(app: AppContext, request: StatusRequest): Promise<StatusResult | StatusDryRun> {
  const session = await app.session(request);
  const services = selectServices(session.catalog, request.services);
  const entry = session.entryFor(services, {verb: 'status', args: {}, reason: request.reason, commandLine: request.commandLine, where: request.where, who: app.deps.who});

  if (request.dryRun) {
    return {dryRun: true, entry, checks: maskDeep(services.map((s) => ({service: s.name, checks: s.checks})), session.mask), message: previewMessage(entry)};
  }

  const recorded = await app.io.progress(`Checking ${services.length} service${services.length === 1 ? '' : 's'}…`, () =>
    session.recorder.run(
      entry,
      async (signal) => {
        const {statuses, ...work} = await runStatus(session.catalog, services, signal, app.env);
        return {...work, value: statuses};
      },
      {announce: false},
    ),
  );
  const done = recorded.entry;
  return {ok: done.outcome === 'succeeded', entry: done.id, outcome: done.outcome, summary: done.summary, services: recorded.value ?? [], permalink: recorded.posted?.permalink};
}
