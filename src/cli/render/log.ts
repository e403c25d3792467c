import type {LogRequest} from '../../core/app/log.js';
import type {LogResult} from '../../core/app/results.js';
import type {Ui} from '../ui.js';
import {entryTable} from './entries.js';

export function renderLog(ui: Ui, result: LogResult, request: LogRequest, service?: string): void {
  if (result.skipped) ui.warn(`Skipped ${result.skipped} message${result.skipped === 1 ? '' : 's'} that looked like foggy entries but were not posted by foggy's bot, or were malformed.`);
  if (result.entries.length === 0) {
    ui.note(`No entries yet${service ? ` for ${service}` : ''}${filtered(request) ? ' matching the filters' : ''} in the ${result.source === 'channel' ? `channel ${result.channel}` : 'local journal'}.`);
    return;
  }
  for (const line of entryTable(ui, result.entries)) ui.out(line);
  if (result.source === 'channel') ui.note(`From ${result.channel}.`);
}

function filtered(request: LogRequest): boolean {
  return Boolean(request.verb || request.outcome || request.who || request.sinceMs !== undefined);
}
