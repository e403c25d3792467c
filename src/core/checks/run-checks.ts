import type {Check, Service} from '../catalog/types.js';
import {Deadline} from './deadline.js';
import {errorWords} from './error-words.js';
import {kindOf} from './kinds/index.js';
import type {CheckResult, ServiceStatus, Settle} from './types.js';

/**
 * Runs every check of every service at once; each is bounded by its own timeout. Results come back by
 * callback, one promise for the whole run: a thousand services make a thousand checks waiting at once,
 * and a chain of promises for each would be kept, and copied by the garbage collector, until its turn.
 */
export function checkServices(services: Service[], options: CheckOptions): Promise<ServiceStatus[]> {
  return new Promise((resolve) => {
    const statuses: ServiceStatus[] = Array.from({length: services.length});
    let waiting = services.length;
    if (waiting === 0) return resolve(statuses);
    const start = (index: number) =>
      startService(services[index], options, (status) => {
        statuses[index] = status;
        if (--waiting === 0) resolve(statuses);
      });
    // Started a batch at a time, with a turn of the event loop between batches: the first requests go out,
    // and servers get to work, while the rest are still being made ready.
    let next = 0;
    const startBatch = () => {
      for (const end = Math.min(next + START_BATCH, services.length); next < end; next++) start(next);
      if (next < services.length) setImmediate(startBatch);
    };
    startBatch();
  });
}

/** Services whose checks start together before the event loop turns. */
const START_BATCH = 64;

export function checkService(service: Service, options: CheckOptions): Promise<ServiceStatus> {
  return new Promise((resolve) => startService(service, options, resolve));
}

export function runCheck(check: Check, service: string, options: CheckOptions): Promise<CheckResult> {
  return new Promise((resolve) => startCheck(check, service, options, resolve));
}

interface CheckOptions {
  cwd: string;
  signal?: AbortSignal;
  /** The environment checks see (their proxies). */
  env: NodeJS.ProcessEnv;
}

function startService(service: Service, options: CheckOptions, done: (status: ServiceStatus) => void): void {
  const {checks} = service;
  // Most services have one check: its result is the service's.
  if (checks.length === 1) {
    return startCheck(checks[0], service.name, options, (only) => done({service: service.name, ok: only.ok, latencyMs: only.latencyMs, checks: [only]}));
  }
  // No checks: nothing says it is down, and nothing took time.
  if (checks.length === 0) return done({service: service.name, ok: true, latencyMs: 0, checks: []});
  const results: CheckResult[] = Array.from({length: checks.length});
  let waiting = checks.length;
  for (let index = 0; index < checks.length; index++) {
    startCheck(checks[index], service.name, options, (result) => {
      results[index] = result;
      if (--waiting > 0) return;
      done({service: service.name, ok: results.every((check) => check.ok), latencyMs: Math.max(...results.map((check) => check.latencyMs)), checks: results});
    });
  }
}

function startCheck(check: Check, service: string, options: CheckOptions, done: (result: CheckResult) => void): void {
  const deadline = new Deadline(check.timeoutMs, options.signal);
  let over = false;
  const settle: Settle = (error, outcome) => {
    if (over) return;
    over = true;
    const {ok, detail, latencyMs} = outcome ?? {ok: false, detail: explain(error, check, deadline.timedOut, options.signal?.aborted ?? false)};
    deadline.done();
    done({name: check.name, type: check.type, ok, latencyMs: Math.round(latencyMs ?? performance.now() - deadline.startedAt), detail});
  };
  try {
    kindOf(check).probe(check, deadline, {cwd: options.cwd, service, env: options.env}, settle);
  } catch (error) {
    settle(error);
  }
}

function explain(error: unknown, check: Check, timedOut: boolean, interrupted: boolean): string {
  if (timedOut) return `timed out after ${formatSeconds(check.timeoutMs)}`;
  if (interrupted) return 'interrupted';
  const words = errorWords((error as NodeJS.ErrnoException | undefined)?.code);
  if (words) return words;
  return (error as Error | undefined)?.message ?? String(error);
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}
