export interface CheckResult {
  name: string;
  type: 'http' | 'tcp' | 'dns' | 'command';
  ok: boolean;
  latencyMs: number;
  /** Why it failed, or what it saw when it passed (e.g. "200 OK"). */
  detail: string;
}

export interface ServiceStatus {
  service: string;
  ok: boolean;
  /** Wall time of the slowest check: the checks run in parallel. */
  latencyMs: number;
  checks: CheckResult[];
}

/** What a probe reports; run-checks adds the name, type and timing. */
export interface ProbeOutcome {
  ok: boolean;
  detail: string;
}
