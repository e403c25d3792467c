import type {Check, Service} from '../catalog/types.js';
import {probeCommand} from './command.js';
import {probeDns} from './dns.js';
import {probeHttp} from './http.js';
import {probeTcp} from './tcp.js';
import {Deadline, type Cancellation} from './deadline.js';
import type {CheckResult, ProbeOutcome, ServiceStatus} from './types.js';

/** Runs every check of every service at once; each is bounded by its own timeout. */
export async function checkServices(services: Service[], options: {cwd: string; signal?: AbortSignal}): Promise<ServiceStatus[]> {
  return Promise.all(services.map((service) => checkService(service, options)));
}

export async function checkService(service: Service, options: {cwd: string; signal?: AbortSignal}): Promise<ServiceStatus> {
  // Most services have one check: no Promise.all for it (a thousand services make a thousand).
  if (service.checks.length === 1) {
    const only = await runCheck(service.checks[0], service.name, options);
    return {service: service.name, ok: only.ok, latencyMs: only.latencyMs, checks: [only]};
  }
  const started = performance.now();
  const checks = await Promise.all(service.checks.map((check) => runCheck(check, service.name, options)));
  return {
    service: service.name,
    ok: checks.every((check) => check.ok),
    latencyMs: checks.length === 0 ? Math.round(performance.now() - started) : Math.max(...checks.map((check) => check.latencyMs)),
    checks,
  };
}

export async function runCheck(check: Check, service: string, options: {cwd: string; signal?: AbortSignal}): Promise<CheckResult> {
  const started = performance.now();
  const deadline = new Deadline(check.timeoutMs, options.signal);
  let outcome: ProbeOutcome;
  try {
    outcome = await probe(check, service, options.cwd, deadline);
  } catch (error) {
    outcome = {ok: false, detail: explain(error, check, deadline.timedOut, options.signal?.aborted ?? false)};
  } finally {
    deadline.done();
  }
  return {name: check.name, type: check.type, ok: outcome.ok, latencyMs: Math.round(outcome.latencyMs ?? performance.now() - started), detail: outcome.detail};
}

function probe(check: Check, service: string, cwd: string, deadline: Deadline): Promise<ProbeOutcome> {
  switch (check.type) {
    case 'http': {
      return probeHttp(check, deadline);
    }
    case 'tcp': {
      return probeTcp(check, deadline);
    }
    // These two may outlive their deadline (getaddrinfo cannot be cancelled; a killed command gets a grace
    // period): the deadline still holds for the caller.
    case 'dns': {
      return withDeadline(probeDns(check), deadline);
    }
    case 'command': {
      return withDeadline(probeCommand(check, {cwd, service, signal: deadline.signal}), deadline);
    }
  }
}

function withDeadline<T>(work: Promise<T>, deadline: Cancellation): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = deadline.onAbort(() => reject(deadline.reason));
    work.then(resolve, reject).finally(stop);
  });
}

const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'name does not resolve',
  EAI_AGAIN: 'name lookup failed (temporary)',
  ENODATA: 'name has no address',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
};

function explain(error: unknown, check: Check, timedOut: boolean, interrupted: boolean): string {
  if (timedOut) return `timed out after ${formatSeconds(check.timeoutMs)}`;
  if (interrupted) return 'interrupted';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && ERROR_WORDS[code]) return ERROR_WORDS[code];
  return (error as Error | undefined)?.message ?? String(error);
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}
