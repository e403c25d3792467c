import type {ActionDryRun, ActionResult, MessagePreview, RollbackRun, StatusDryRun, StatusResult} from '../../core/app/results.js';
import {formatDuration} from '../../core/text/duration.js';
import type {Ui} from '../ui.js';
import {renderStatus} from './status.js';

/** The message a dry run would post, and where. */
export function renderPreview(ui: Ui, message: MessagePreview): void {
  ui.out(message.channel ? `Would post to ${message.channel}: ${message.text}` : 'Would record in the local journal only (Slack is not connected).');
}

export function renderStatusResult(ui: Ui, result: StatusResult | StatusDryRun): void {
  if ('dryRun' in result) {
    for (const {service, checks} of result.checks) ui.out(`${service}: ${(checks as {type: string; name: string}[]).map((c) => `${c.type} ${c.name}`).join(', ') || 'no checks'}`);
    renderPreview(ui, result.message);
    ui.note('Dry run: nothing was checked or recorded.');
    return;
  }
  // One write: a thousand services are a thousand lines, and each write to a pipe is a system call.
  const lines = renderStatus(ui, result.services);
  if (lines.length > 0) ui.out(lines.join('\n'));
  if (result.permalink) ui.note(`Posted: ${result.permalink}`);
}

export function renderActionResult(ui: Ui, result: ActionResult | ActionDryRun): void {
  if ('dryRun' in result) {
    if (result.rollback) {
      ui.out(`   Undoes: ${rollbackRun(result.rollback.of)}`);
      ui.out(`Goes back: ${rollbackRun(result.rollback.to)}`);
    }
    ui.out(`Would run: ${result.shell ? result.command[2] : result.command.join(' ')}${result.shell ? '   (with sh -c)' : ''}`);
    ui.out(`      in: ${result.cwd}`);
    for (const [name, value] of Object.entries(result.env)) ui.out(`    with: ${name}=${value}`);
    ui.out(` timeout: ${formatDuration(result.timeoutMs)}`);
    ui.out(`confirm: ${CONFIRMATION[result.confirmation]}`);
    renderPreview(ui, result.message);
    ui.note('Dry run: nothing was run or recorded.');
    return;
  }
  const mark = result.outcome === 'succeeded' ? ui.symbols.ok : ui.symbols.fail;
  if (result.rollback) ui.note(`Rolled back from ${rollbackRun(result.rollback.of)} to ${rollbackRun(result.rollback.to)}.`);
  ui.streams.stderr.write(`${mark} ${result.summary} in ${formatDuration(result.durationMs ?? 0)}\n`);
  if (result.permalink) ui.note(`Posted: ${result.permalink}`);
}

/** "v3 (failed, 2026-12-06 14:02 UTC by alice, entry mi9x…)": a deploy a rollback names. */
function rollbackRun(run: RollbackRun): string {
  const when = `${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `${run.ref ?? '(no ref)'} (${run.verb === 'rollback' ? 'a rollback, ' : ''}${run.outcome.replace('_', ' ')}, ${when}${run.who ? ` by ${run.who}` : ''}, entry ${run.id})`;
}

const CONFIRMATION: Record<ActionDryRun['confirmation'], string> = {
  'would ask': 'would ask for the service name (protected; --confirm SERVICE or --yes skips it)',
  given: 'given on the command line',
  'not needed': 'not needed',
};
