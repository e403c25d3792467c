import type {Catalog} from '../catalog/types.js';
import {localDayStarts, wallClock} from '../quiet/maintenance.js';
import {byService, ServicePieces, type Figures} from './figures.js';
import {DAY_MS, HOUR_MS, type HistoryStore, type IncidentRow, type RunRow} from './store.js';

/**
 * One view of the history, the same numbers for every front end that shows it: `foggy uptime`, the status page,
 * its JSON API, the badges and the static export. Each figure comes with the counts behind it.
 */

/** The standard windows, newest first: label and length. */
export const WINDOWS = [
  ['24h', DAY_MS],
  ['7d', 7 * DAY_MS],
  ['30d', 30 * DAY_MS],
  ['90d', 90 * DAY_MS],
] as const;

export interface ServiceNow {
  /** down: an incident is open; failing: its last round failed (not yet an incident); quiet: checked but hushed. */
  state: 'up' | 'down' | 'failing' | 'quiet' | 'no data';
  /** When it was last checked (ISO). */
  checkedAt?: string;
  latencyMs?: number;
  /** What quiets it (deploy, grace, silence, maintenance, dependency). */
  quiet?: string;
  /** The open incident, when there is one. */
  incident?: string;
}

export interface DayFigures extends Figures {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
}

export interface LatencyPoint {
  /** The hour's start (ISO). */
  at: string;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface IncidentShown {
  id: string;
  service: string;
  started: string;
  ended?: string;
  /** How long it lasted, or has lasted so far. */
  lengthMs: number;
  open: boolean;
  summary?: string;
}

export interface RunShown {
  entry: string;
  service: string;
  verb: string;
  ref?: string;
  who?: string;
  started: string;
  ended?: string;
  outcome?: string;
}

export interface ServiceView {
  service: string;
  description?: string;
  now: ServiceNow;
  /** Uptime and more over 24h, 7d, 30d, 90d (or the one period asked for). */
  windows: ({label: string} & Figures)[];
  /** The last days, oldest first (no data when nothing was watched). */
  days: DayFigures[];
  /** Response time per hour over the last week, oldest first. */
  latency: LatencyPoint[];
  /** Incidents in the longest window, newest first. */
  incidents: IncidentShown[];
  /** The check targets (URLs, host:port), only when the catalog's page.show_targets says so. */
  targets?: string[];
}

export interface HistoryView {
  generatedAt: string;
  services: ServiceView[];
  /** Recent deploys, restarts and rollbacks, newest first. */
  runs: RunShown[];
}

export interface ViewOptions {
  /** Services to show; every service of the catalog when empty. */
  services?: string[];
  /** One period instead of the standard windows. */
  period?: {from: number; to: number};
  /** How many daily bars (default 90). */
  days?: number;
  /** The time zone whose days the bars are (default UTC; a day with a daylight-saving change has 23 or 25 hours). */
  timeZone?: string;
  showTargets?: boolean;
  runs?: number;
}

const iso = (at: number) => new Date(at).toISOString();
const floorDay = (at: number) => Math.floor(at / DAY_MS) * DAY_MS;

export async function historyView(store: HistoryStore, catalog: Catalog, now: number, options: ViewOptions = {}): Promise<HistoryView> {
  const names = options.services && options.services.length > 0 ? options.services : [...catalog.services.keys()];
  const dayCount = options.days ?? 90;
  const windows: [string, number, number][] = options.period ? [[periodLabel(options.period), options.period.from, options.period.to]] : WINDOWS.map(([label, length]) => [label, now - length, now]);
  const timeZone = options.timeZone ?? 'UTC';
  const dayStarts = timeZone === 'UTC' ? Array.from({length: dayCount + 1}, (_, i) => floorDay(now) - (dayCount - 1 - i) * DAY_MS) : localDayStarts(now, dayCount, timeZone);
  const daysFrom = dayStarts[0];
  const from = Math.min(daysFrom, ...windows.map(([, start]) => start));
  const to = Math.max(now, ...windows.map(([, , end]) => end));
  // Local days do not start at midnight UTC: they are read from hours (kept 90 days), not from UTC days.
  const pieces = byService(await store.pieces(names, from, to, now, {hourly: timeZone !== 'UTC'}));
  const hourly = byService(await store.pieces(names, now - 7 * DAY_MS, now, now, {hourly: true}));
  const latest = await store.latest(names);
  const incidentRows = await store.incidents(from, to, names);
  const runs = await store.runs(options.runs ?? 20, names);
  // The days' labels, once for every service (a local day's date takes a time zone's reckoning).
  const dayLabels = dayStarts.slice(0, -1).map((day) => iso(wallClock(day, timeZone)).slice(0, 10));
  const none = new ServicePieces([]);
  const hours = Array.from({length: 7 * 24}, (_, i) => Math.floor(now / HOUR_MS) * HOUR_MS - (7 * 24 - 1 - i) * HOUR_MS);
  const hourLabels = hours.map(iso);
  const incidentsOf = new Map<string, IncidentRow[]>();
  for (const incident of incidentRows) {
    const list = incidentsOf.get(incident.service);
    if (list) list.push(incident);
    else incidentsOf.set(incident.service, [incident]);
  }

  const services = names.map((name): ServiceView => {
    const own = pieces.get(name) ?? none;
    const ownHours = hourly.get(name) ?? none;
    const service = catalog.services.get(name);
    const ownIncidents = incidentsOf.get(name) ?? [];
    const open = ownIncidents.find((incident) => incident.ended === undefined);
    const last = latest.get(name);
    const view: ServiceView = {
      service: name,
      ...(service?.description ? {description: service.description} : {}),
      now: stateNow(last, open, now),
      windows: windows.map(([label, start, end]) => ({label, ...own.figures(start, end)})),
      days: dayLabels.map((day, i) => ({day, ...own.figures(dayStarts[i], Math.min(dayStarts[i + 1], now))})),
      latency: hours.map((hour, i) => {
        const figures = ownHours.figures(hour, Math.min(hour + HOUR_MS, now));
        return {at: hourLabels[i], p50Ms: figures.p50Ms, p95Ms: figures.p95Ms};
      }),
      incidents: ownIncidents.map((incident) => incidentShown(incident, now)),
    };
    if (options.showTargets && service) view.targets = service.checks.map((check) => check.name);
    return view;
  });
  return {generatedAt: iso(now), services, runs: runs.map(runShown)};
}

function stateNow(last: {at: number; ok: boolean; quiet?: string; latencyMs: number} | undefined, open: IncidentRow | undefined, now: number): ServiceNow {
  if (!last) return open ? {state: 'down', incident: open.id} : {state: 'no data'};
  const base = {checkedAt: iso(last.at), latencyMs: last.latencyMs};
  // A sample older than a day says nothing about now.
  if (now - last.at > DAY_MS) return {state: 'no data', ...base};
  if (open) return {state: 'down', ...base, incident: open.id};
  if (last.quiet) return {state: 'quiet', ...base, quiet: last.quiet};
  return {state: last.ok ? 'up' : 'failing', ...base};
}

function incidentShown(incident: IncidentRow, now: number): IncidentShown {
  return {
    id: incident.id,
    service: incident.service,
    started: iso(incident.started),
    ...(incident.ended === undefined ? {} : {ended: iso(incident.ended)}),
    lengthMs: Math.max(0, (incident.ended ?? now) - incident.started),
    open: incident.ended === undefined,
    ...(incident.summary ? {summary: incident.summary} : {}),
  };
}

function runShown(run: RunRow): RunShown {
  return {entry: run.entry, service: run.service, verb: run.verb, ...(run.ref ? {ref: run.ref} : {}), ...(run.who ? {who: run.who} : {}), started: iso(run.started), ...(run.ended === undefined ? {} : {ended: iso(run.ended)}), ...(run.outcome ? {outcome: run.outcome} : {})};
}

/** "2026-11-01 → 2026-12-01": a period as its label. */
function periodLabel(period: {from: number; to: number}): string {
  return `${iso(period.from).slice(0, 16).replace('T', ' ')} → ${iso(period.to).slice(0, 16).replace('T', ' ')}`;
}
