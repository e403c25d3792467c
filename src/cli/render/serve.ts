import type {ServeEvent} from '../../chat/types.js';
import {formatDuration} from '../../core/text/duration.js';
import {printable} from '../../core/text/printable.js';

export type ServeLogLine = ServeEvent | {at: string; kind: 'server'; level: string; message: string};

/** foggy serve's log as text: one line per command, click or piece of news, every outside word printable. */
export function serveLogLine(event: ServeLogLine): string {
  if (event.kind === 'server') return `${event.at} ${event.level === 'info' ? '' : `${event.level}: `}${printable(event.message)}`;
  const who = event.user ? `${event.name ? `${event.name} ` : ''}(${event.user})` : '';
  const where = event.channel ? ` in ${event.channel}` : '';
  const entry = event.entry ? ` [${event.entry}]` : '';
  const took = event.durationMs === undefined ? '' : ` ${formatDuration(event.durationMs)}`;
  const detail = event.detail ? `: ${event.detail.split('\n')[0]}` : '';
  return printable(`${event.at} ${event.kind === 'command' ? '' : `${event.kind} `}${event.command ?? ''} by ${who}${where} → ${event.outcome}${entry}${took}${detail}`);
}
