/**
 * Maintenance windows: recurring quiet times in a time zone ("every Sunday at 02:00 Berlin time, for an
 * hour"). Pure: given an instant, which windows hold it, and which occurrences fall in a period. Wall-clock
 * times are turned into instants the way Temporal's "compatible" rule does: a time that a spring-forward
 * night skips happens after the gap (02:30 becomes 03:30 summer time), so the window still happens once; a
 * time that an autumn night repeats happens the first time.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface MaintenanceWindow {
  /** Days of the week it starts on (local to `timeZone`); all seven when the catalog omits them. */
  every: Weekday[];
  /** Minutes after local midnight. */
  startMinute: number;
  durationMs: number;
  timeZone: string;
  /** Services it quiets; undefined: every service. */
  services?: string[];
}

/** One occurrence of a window: [from, to) in epoch milliseconds. */
export interface Occurrence {
  window: MaintenanceWindow;
  from: number;
  to: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric'});
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether Node knows the time zone (an IANA name such as Europe/Berlin, or UTC). */
export function knownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant`, as if it were UTC (for arithmetic on calendar fields). */
export function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The offset of `timeZone` from UTC at `instant`, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(Math.floor(instant / 1000) * 1000, timeZone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time (given as a UTC timestamp of its fields) happens in `timeZone`: in a gap, the
 * same distance after it; when it happens twice, the first time.
 */
export function instantOf(wall: number, timeZone: string): number {
  // The offsets just before and just after: around a change they differ, and decide between one, two or no instants.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => wallClock(instant, timeZone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped by a spring-forward: as Temporal's "compatible" does, the same time after the gap.
  return wall - before;
}

/** The weekday of a UTC-fields timestamp (the local date). */
function weekdayOf(wallDate: number): Weekday {
  return WEEKDAYS[new Date(wallDate).getUTCDay()];
}

/**
 * Occurrences of the window that overlap [from, to), oldest first. A window starts on local dates, so the
 * dates looked at reach back by its duration.
 */
export function occurrences(window: MaintenanceWindow, from: number, to: number): Occurrence[] {
  const found: Occurrence[] = [];
  const firstDay = Math.floor(wallClock(from - window.durationMs, window.timeZone) / DAY_MS) * DAY_MS - DAY_MS;
  const lastDay = Math.floor(wallClock(to, window.timeZone) / DAY_MS) * DAY_MS + DAY_MS;
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    if (!window.every.includes(weekdayOf(day))) continue;
    const start = instantOf(day + window.startMinute * 60_000, window.timeZone);
    const end = start + window.durationMs;
    if (end > from && start < to && !found.some((o) => o.from === start)) found.push({window, from: start, to: end});
  }
  return found.sort((a, b) => a.from - b.from);
}

/** The window occurrence that holds `at` for this service, if any (the one that ends last). */
export function maintenanceAt(windows: readonly MaintenanceWindow[], service: string, at: number): Occurrence | undefined {
  let holding: Occurrence | undefined;
  for (const window of windows) {
    if (window.services && !window.services.includes(service)) continue;
    for (const occurrence of occurrences(window, at, at + 1)) if (!holding || occurrence.to > holding.to) holding = occurrence;
  }
  return holding;
}

/** "sun 02:00 for 1h (Europe/Berlin)": a window as people write it. */
export function describeWindow(window: MaintenanceWindow, durationText: string): string {
  const days = window.every.length === 7 ? 'daily' : window.every.join(',');
  const hh = String(Math.floor(window.startMinute / 60)).padStart(2, '0');
  const mm = String(window.startMinute % 60).padStart(2, '0');
  return `${days} ${hh}:${mm} for ${durationText} (${window.timeZone})`;
}

/** The instants local midnights fall on in `timeZone`: `count` days ending with the one that holds `at`, oldest first. */
export function localDayStarts(at: number, count: number, timeZone: string): number[] {
  const today = Math.floor(wallClock(at, timeZone) / DAY_MS) * DAY_MS;
  return Array.from({length: count + 1}, (_, i) => instantOf(today - (count - 1 - i) * DAY_MS, timeZone));
}
