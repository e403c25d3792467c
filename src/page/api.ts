import type {Figures} from '../core/history/figures.js';
import type {HistoryView, IncidentShown, RunShown, ServiceNow, ServiceView} from '../core/history/view.js';

/**
 * The status page as JSON (/api/v1/…): the same figures as the page, from the same view. Each response's shape is
 * published as a JSON Schema (schema/json/api-*.schema.json).
 */

/** GET /api/v1/services: every service, its state now and its uptime windows. */
export interface ApiServices {
  generatedAt: string;
  services: {service: string; description?: string; now: ServiceNow; windows: ({label: string} & Figures)[]}[];
}

/** GET /api/v1/services/NAME: one service, whole (daily bars, hourly response times, incidents). */
export interface ApiService {
  generatedAt: string;
  service: ServiceView;
}

/** GET /api/v1/uptime?service=…&since=30d (or from, to): each service's figures over one period. */
export interface ApiUptime {
  generatedAt: string;
  period: {from: string; to: string};
  services: ({service: string} & Figures)[];
}

/** GET /api/v1/incidents?since=90d: incidents that overlap the period, newest first. */
export interface ApiIncidents {
  generatedAt: string;
  incidents: IncidentShown[];
}

/** GET /api/v1/runs?limit=20: the latest deploys, restarts and rollbacks, newest first. */
export interface ApiRuns {
  generatedAt: string;
  runs: RunShown[];
}

export function apiServices(view: HistoryView): ApiServices {
  return {generatedAt: view.generatedAt, services: view.services.map(({service, description, now, windows}) => ({service, ...(description ? {description} : {}), now, windows}))};
}

export function apiUptime(view: HistoryView, period: {from: number; to: number}): ApiUptime {
  return {
    generatedAt: view.generatedAt,
    period: {from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString()},
    services: view.services.map((service) => {
      const {label: _label, ...figures} = service.windows[0];
      return {service: service.service, ...figures};
    }),
  };
}

export function apiIncidents(view: HistoryView): ApiIncidents {
  return {generatedAt: view.generatedAt, incidents: view.services.flatMap((service) => service.incidents).sort((a, b) => b.started.localeCompare(a.started))};
}
