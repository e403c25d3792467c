import type {Catalog, Service} from '../catalog/types.js';
import {checkServices} from '../checks/run-checks.js';
import type {ServiceStatus} from '../checks/types.js';
import {ExitCode} from '../exit-codes.js';
import type {WorkResult} from '../recorder.js';

export async function runStatus(catalog: Catalog, services: Service[], signal: AbortSignal): Promise<WorkResult & {statuses: ServiceStatus[]}> {
  const statuses = await checkServices(services, {cwd: catalog.dir, signal});
  const down = statuses.filter((status) => !status.ok);
  const summary =
    down.length === 0
      ? `${statuses.length === 1 ? statuses[0].service + ' is' : `all ${statuses.length} services are`} up`
      : down.map((status) => `${status.service} down: ${status.checks.find((c) => !c.ok)?.detail ?? 'no checks'}`).join('; ');
  return {
    statuses,
    end: {outcome: down.length === 0 ? 'succeeded' : 'failed', exitCode: down.length === 0 ? ExitCode.ok : ExitCode.failed, summary, status: statuses},
  };
}
