import type {SilenceDryRun, SilenceList, SilenceResult} from '../../core/app/results.js';
import {formatSpan} from '../../core/text/duration.js';
import {printable} from '../../core/text/printable.js';
import {table, type Ui} from '../ui.js';
import {stamp} from './entries.js';
import {renderPreview} from './verbs.js';

/** A silence set or ended: one line on stdout, the link on stderr. */
export function renderSilence(ui: Ui, result: SilenceResult | SilenceDryRun): void {
  if ('dryRun' in result) {
    const {silence} = result;
    ui.out(`Would silence ${printable(silence.services.join(', '))} until ${stamp(silence.until)} (${formatSpan(silence.leftMs)}): ${printable(silence.reason)}`);
    renderPreview(ui, result.message);
    ui.note('Dry run: nothing was silenced or recorded.');
    return;
  }
  const {silence} = result;
  ui.out(
    silence.ended
      ? `${ui.symbols.ok} ${printable(silence.services.join(', '))}: silence ${silence.id} ended (it was set by ${printable(silence.who)}: ${printable(silence.reason)})`
      : `${ui.symbols.ok} ${printable(silence.services.join(', '))} silenced until ${stamp(silence.until)} (${formatSpan(silence.leftMs)}) by ${printable(silence.who)}: ${printable(silence.reason)}`,
  );
  ui.note(`Silence ${silence.id}${silence.ended ? '' : `; end it early with "foggy silence --end ${silence.id}"`}.`);
  if (result.permalink) ui.note(`Posted: ${result.permalink}`);
}

/** The silences in force, soonest over first. */
export function renderSilences(ui: Ui, result: SilenceList, now: number): void {
  if (result.silences.length === 0) {
    ui.note('No silence in force: the watcher speaks for every service.');
    return;
  }
  const rows = result.silences.map((silence) => [silence.id, printable(silence.services.join(',')), stamp(silence.until), formatSpan(Math.max(0, Date.parse(silence.until) - now)), printable(silence.who), printable(silence.reason)]);
  for (const line of table(rows, ['ID', 'SERVICES', 'UNTIL', 'LEFT', 'BY', 'REASON'])) ui.out(line);
}
