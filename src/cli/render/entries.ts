import {formatDuration} from '../../core/text/duration.js';
import {whoLabel, whoShort} from '../../core/entry/context.js';
import {servicesLabel} from '../../core/entry/services-label.js';
import type {Entry} from '../../core/entry/types.js';
import {printable} from '../../core/text/printable.js';
import {table, type Ui} from '../ui.js';

export const ENTRY_COLUMNS = ['ID', 'WHEN', 'WHO', 'WHERE', 'VERB', 'SERVICE', 'OUTCOME', 'DURATION'];

/** A local time stamp, to the second. */
export function stamp(iso: string): string {
  const when = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
}

/** An outcome in a word; an incident still running is "open". */
export function outcomeWord(entry: Entry): string {
  return entry.verb === 'incident' && entry.outcome === 'running' ? 'open' : entry.outcome.replace('_', ' ');
}

/** One row of `foggy log`. Entries read from the channel are text from outside: shown, never obeyed. */
export function entryRow(ui: Ui, entry: Entry): string[] {
  const outcomeColor = entry.outcome === 'succeeded' || entry.outcome === 'resolved' ? ui.color.green : entry.outcome === 'running' ? ui.color.cyan : ui.color.red;
  return [
    printable(entry.id),
    stamp(entry.startedAt),
    printable(whoShort(entry.who)),
    printable(entry.where.kind === 'ci' ? (entry.where.ci?.name ?? 'CI') : entry.where.kind === 'chat' ? 'chat' : 'terminal'),
    entry.verb,
    printable(servicesLabel(entry.services) || '-'),
    outcomeColor(outcomeWord(entry)),
    entry.durationMs === undefined ? '-' : formatDuration(entry.durationMs),
  ];
}

export function entryTable(ui: Ui, entries: Entry[], header = true): string[] {
  return table(entries.map((entry) => entryRow(ui, entry)), header ? ENTRY_COLUMNS : undefined);
}

/** `foggy log show`: every field of an entry, one per line, then what it kept of the output. */
export function entryDetails(ui: Ui, entry: Entry & {delivery?: {channel?: string; ts?: string; refused?: {code: string}}}, extra: {permalink?: string; output?: string}): string[] {
  const lines: [string, string | undefined][] = [
    ['id', entry.id],
    ['verb', entry.verb],
    ['services', entry.services.join(', ')],
    ['ref', entry.args.ref],
    ['outcome', outcomeWord(entry)],
    ['exit code', entry.exitCode === undefined ? undefined : String(entry.exitCode)],
    ['summary', entry.summary],
    ['started', stamp(entry.startedAt)],
    ['ended', entry.endedAt ? stamp(entry.endedAt) : undefined],
    ['duration', entry.durationMs === undefined ? undefined : formatDuration(entry.durationMs)],
    ['who', whoLabel(entry.who) + (entry.who.slackUser ? ` (Slack ${entry.who.slackUser})` : '')],
    ['where', entry.where.kind === 'ci' ? `${entry.where.ci?.name ?? 'CI'}${entry.where.ci?.url ? ` ${entry.where.ci.url}` : ''}` : entry.where.kind === 'chat' ? `chat, channel ${entry.where.chat?.channel ?? '?'}` : `terminal, ${entry.where.cwd}`],
    ['approved by', entry.confirmedBy],
    ['repository', entry.where.repository],
    ['branch', entry.where.branch],
    ['commit', entry.where.commit],
    ['command line', entry.commandLine],
    ['runs', entry.command],
    ['reason', entry.reason],
    ['catalog', entry.catalog],
    ['channel', entry.channel],
    ['message', extra.permalink ?? (entry.delivery?.ts ? `${entry.delivery.channel} ${entry.delivery.ts}` : undefined)],
    ['delivery', entry.delivery?.refused ? `set aside: ${entry.delivery.refused.code}` : undefined],
    ['output', entry.output ? `${entry.output.bytes} bytes${entry.output.truncated ? ' (head and tail kept)' : ''}` : undefined],
  ];
  const rows = lines.filter((line): line is [string, string] => line[1] !== undefined && line[1] !== '').map(([key, value]) => [ui.color.bold(key), printable(value)]);
  const out = table(rows);
  for (const status of entry.status ?? []) {
    const failed = status.checks.filter((check) => !check.ok);
    out.push(`  ${status.ok ? ui.symbols.ok : ui.symbols.fail} ${printable(status.service)}${failed.length > 0 ? `: ${printable(failed.map((check) => `${check.name}: ${check.detail}`).join('; '))}` : ''}`);
  }
  if (extra.output) out.push('', ui.color.dim('── output ──'), ...extra.output.replace(/\n$/, '').split('\n').map((line) => printable(line)));
  return out;
}
