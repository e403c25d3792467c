import type {HistoryView} from '../../core/history/view.js';
import {printable} from '../../core/text/printable.js';
import {count, milliseconds, minutes, percent} from '../../page/format.js';
import {table, type Ui} from '../ui.js';

const LEVELS = '▁▂▃▄▅▆▇';

/**
 * A day a bar: full when nothing was down, lower the more it was (against the worst day shown), a dot for no
 * data. Uptime itself hardly moves (99.9% and 100% look alike): the bars show the time down.
 */
function uptimeLine(days: HistoryView['services'][number]['days']): string {
  const most = Math.max(1, ...days.map((day) => day.downMs));
  return days.map((day) => (day.uptime === null ? '·' : day.downMs === 0 ? '█' : LEVELS[Math.min(LEVELS.length - 1, Math.floor((1 - day.downMs / most) * LEVELS.length))])).join('');
}

/** Per service: uptime over each window, minutes down and quiet, incidents, response times, and the days as a line. */
export function renderUptime(ui: Ui, view: HistoryView): void {
  const labels = view.services[0]?.windows.map((window) => window.label) ?? [];
  const rows = view.services.map((service) => [
    printable(service.service),
    service.now.state,
    ...service.windows.map((window) => percent(window.uptime)),
  ]);
  for (const line of table(rows, ['SERVICE', 'NOW', ...labels.map((label) => label.toUpperCase())])) ui.out(line);
  for (const service of view.services) {
    const longest = service.windows.at(-1)!;
    const incidents = service.incidents.filter((incident) => Date.parse(incident.started) < longest.to && Date.parse(incident.ended ?? view.generatedAt) >= longest.from);
    ui.out();
    ui.out(`${ui.color.bold(printable(service.service))} ${uptimeLine(service.days.slice(-30))}  (last 30 days, a bar a day: full when nothing was down; · no data)`);
    ui.out(
      `  ${longest.label}: down ${minutes(longest.downMs)} (${count(longest.samples.down)} of ${count(longest.samples.up + longest.samples.down)} samples), quiet ${minutes(longest.quietMs)}, no data ${minutes(longest.noDataMs)}; response p50 ${milliseconds(longest.p50Ms)}, p95 ${milliseconds(longest.p95Ms)}`,
    );
    if (incidents.length > 0) ui.out(`  ${count(incidents.length)} incident${incidents.length === 1 ? '' : 's'}: ${incidents.slice(0, 8).map((incident) => `${incident.started.slice(0, 16).replace('T', ' ')} ${minutes(incident.lengthMs)}${incident.open ? ' (open)' : ''}`).join(', ')}${incidents.length > 8 ? ', …' : ''}`);
    if (service.now.quiet) ui.out(`  quiet now: ${printable(service.now.quiet)}`);
  }
  ui.out();
  ui.note('Uptime is time up over time watched and not quiet: time no watcher ran is no data, never up; deploys\' grace, silences and windows are quiet, never down.');
}
