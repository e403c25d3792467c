import type {ServiceStatus} from '../../core/checks/types.js';
import {formatDuration} from '../../core/text/duration.js';
import {printable} from '../../core/text/printable.js';
import {table, type Ui} from '../ui.js';

/** One line per service: mark, name, latency, and why it is down. */
export function renderStatus(ui: Ui, statuses: ServiceStatus[]): string[] {
  const {color} = ui;
  // Without colour (a pipe, CI) nothing is styled: for a thousand rows, two thousand calls to chalk cost more than the table.
  const dim = color.level > 0 ? (text: string) => color.dim(text) : unstyled;
  const bold = color.level > 0 ? (text: string) => color.bold(text) : unstyled;
  const rows = statuses.map((status) => {
    const failed = status.checks.filter((check) => !check.ok);
    const why =
      status.checks.length === 0
        ? dim('no checks')
        : failed.length === 0
          ? dim(`${status.checks.length} check${status.checks.length === 1 ? '' : 's'} passed`)
          : printable(failed.map((check) => `${check.name}: ${check.detail}`).join('; '));
    // Still checked, but the watcher is quiet for it: said, so nobody takes a planned outage for news.
    const quiet = status.quiet ? ` — ${printable(status.quiet.detail)}` : '';
    return [status.ok ? ui.symbols.ok : ui.symbols.fail, bold(status.service), formatDuration(status.latencyMs), why + quiet];
  });
  return table(rows);
}

const unstyled = (text: string) => text;
