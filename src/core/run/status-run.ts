import type {Catalog, Service} from '../catalog/types.js';
import {checkServices} from '../checks/run-checks.js';
import type {QuietShown, ServiceStatus} from '../checks/types.js';
import {formatDuration} from '../text/duration.js';
import type {WorkResult} from './recorder.js';

/**
 * Past this many services the entry keeps only the failing ones in full (and the counts): a status of a
 * thousand services must not journal, or post, a thousand services' details. The full report is the
 * run's output instead, kept beside the journal and attached in the thread.
 */
export const STATUS_DETAIL_LIMIT = 20;
/** At most this many failing services are kept in the entry itself. */
const FAILING_KEPT = 100;

export async function runStatus(catalog: Catalog, services: Service[], signal: AbortSignal, env: NodeJS.ProcessEnv, quiet: ReadonlyMap<string, QuietShown> = new Map()): Promise<WorkResult & {statuses: ServiceStatus[]}> {
  const statuses = (await checkServices(services, {cwd: catalog.dir, signal, env})).map((status) => {
    const reason = quiet.get(status.service);
    return reason ? {...status, quiet: reason} : status;
  });
  const down = statuses.filter((status) => !status.ok);
  const summary =
    down.length === 0
      ? `${statuses.length === 1 ? statuses[0].service + ' is' : `all ${statuses.length} services are`} up`
      : summarizeDown(down, statuses.length);
  const compact = statuses.length > STATUS_DETAIL_LIMIT;
  const report = compact ? statusReport(statuses) : undefined;
  return {
    statuses,
    output: report,
    end: {
      outcome: down.length === 0 ? 'succeeded' : 'failed',
      summary,
      status: compact ? down.slice(0, FAILING_KEPT) : statuses,
      statusCounts: {total: statuses.length, up: statuses.length - down.length, down: down.length},
      output: report === undefined ? undefined : {bytes: Buffer.byteLength(report), truncated: false},
    },
  };
}

function summarizeDown(down: ServiceStatus[], total: number): string {
  const why = (status: ServiceStatus) => status.checks.find((c) => !c.ok)?.detail ?? 'no checks';
  if (total === 1) return `${down[0].service} down: ${why(down[0])}`;
  const named = down.slice(0, 5).map((status) => `${status.service} (${why(status)})`);
  const more = down.length > named.length ? `, and ${down.length - named.length} more` : '';
  return `${down.length} of ${total} services down: ${named.join(', ')}${more}`;
}

/** Every service on a line, the failing ones last, so the tail (what the thread shows) holds them. */
export function statusReport(statuses: ServiceStatus[]): string {
  const line = (status: ServiceStatus) => {
    const failed = status.checks.filter((check) => !check.ok);
    const why = failed.length === 0 ? `${status.checks.length} check${status.checks.length === 1 ? '' : 's'} passed` : failed.map((check) => `${check.name}: ${check.detail}`).join('; ');
    return `${status.ok ? 'up  ' : 'DOWN'} ${status.service} ${formatDuration(status.latencyMs)} ${why}`;
  };
  const down = statuses.filter((status) => !status.ok);
  const up = statuses.filter((status) => status.ok);
  return [...up.map(line), ...down.map(line), `${statuses.length} services: ${up.length} up, ${down.length} down`].join('\n') + '\n';
}
