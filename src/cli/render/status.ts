import type {ServiceStatus} from '../../core/checks/types.js';
import {formatDuration} from '../../core/duration.js';
import {printable} from '../../core/printable.js';
import {table, type Ui} from '../ui.js';

/** One line per service: mark, name, latency, and why it is down. */
export function renderStatus(ui: Ui, statuses: ServiceStatus[]): string[] {
  const rows = statuses.map((status) => {
    const failed = status.checks.filter((check) => !check.ok);
    const why =
      status.checks.length === 0
        ? ui.color.dim('no checks')
        : failed.length === 0
          ? ui.color.dim(`${status.checks.length} check${status.checks.length === 1 ? '' : 's'} passed`)
          : printable(failed.map((check) => `${check.name}: ${check.detail}`).join('; '));
    return [status.ok ? ui.symbols.ok : ui.symbols.fail, ui.color.bold(status.service), formatDuration(status.latencyMs), why];
  });
  return table(rows);
}
