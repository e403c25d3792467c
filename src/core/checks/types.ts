import type {CheckType} from './check-types.js';

export interface CheckResult {
  name: string;
  type: CheckType;
  ok: boolean;
  /**
   * How long the service took to answer: for HTTP, from the request sent to the response read (not the time
   * it waited for a free connection among many checks of the same server).
   */
  latencyMs: number;
  /** Why it failed, or what it saw when it passed (e.g. "200 OK"). */
  detail: string;
}

export interface ServiceStatus {
  service: string;
  ok: boolean;
  /** The slowest check's latency: the checks run in parallel. */
  latencyMs: number;
  checks: CheckResult[];
  /** The watcher is quiet for it (a deploy, a silence, a maintenance window): why, until when, by whom. */
  quiet?: QuietShown;
}

/** Why a service is quiet, as views show it. */
export interface QuietShown {
  kind: 'action' | 'grace' | 'silence' | 'maintenance' | 'dependency';
  /** In words: "silenced until 14:00 UTC by alice (db migration)". */
  detail: string;
  /** When it ends, when that is known (ISO). */
  until?: string;
  /** Who made it quiet (the silence's setter, the run's person). */
  by?: string;
  reason?: string;
  /** The entry behind it: the run, or the silence. */
  entry?: string;
}

/** What a probe reports; run-checks adds the name, type and timing. */
export interface ProbeOutcome {
  ok: boolean;
  detail: string;
  /** The probe's own measure of the answer's latency, when it knows better than the wall time. */
  latencyMs?: number;
}

/** How a probe reports back: its outcome, or the error that kept it from one. Called once. */
export type Settle = (error: unknown, outcome?: ProbeOutcome) => void;
