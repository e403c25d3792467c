import {formatCount} from '../core/text/count.js';
import {formatDuration, formatSpan} from '../core/text/duration.js';

/** Text for HTML and SVG: &, <, >, " and ' escaped, so nothing from a service or a person becomes markup. */
export function html(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** "99.95%": two decimals, never rounded up to 100% while anything was down; "no data" when nothing was watched. */
export function percent(uptime: number | null): string {
  if (uptime === null) return 'no data';
  const value = Math.floor(uptime * 10_000) / 100;
  return `${value.toFixed(value === 100 ? 0 : 2)}%`;
}

export function milliseconds(ms: number | null): string {
  return ms === null ? '–' : formatDuration(ms);
}

/** A stretch of time as people read it: 0s, 4.2s, 45m, 2h05m, 3d. */
export function minutes(ms: number): string {
  return ms < 60_000 ? formatDuration(ms) : formatSpan(ms);
}

export function count(value: number): string {
  return formatCount(Math.round(value));
}

/** "2026-12-01 14:02 UTC". */
export function moment(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A colour for an uptime: green when whole, lighter green above 99.9%, amber above 99%, red below; grey for no
 * data. Each with text that reads on it (WCAG AA), and each also said in words beside it: colour is never alone.
 */
export function uptimeColour(uptime: number | null): {fill: string; word: string} {
  if (uptime === null) return {fill: '#8c959f', word: 'no data'};
  if (uptime >= 1) return {fill: '#1a7f37', word: 'all up'};
  if (uptime >= 0.999) return {fill: '#4ac26b', word: 'mostly up'};
  if (uptime >= 0.99) return {fill: '#bf8700', word: 'some downtime'};
  return {fill: '#cf222e', word: 'down for a while'};
}
