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
