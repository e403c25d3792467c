import {hostname} from 'node:os';
import type {Catalog} from '../catalog/types.js';
import {coordinationOf} from '../coordination/settings.js';
import {holderGone} from '../locks/pid-lock.js';
import {formatDuration, formatSpan} from '../text/duration.js';
import {quietReason, quietUntil, type QuietContext, type QuietReason} from './decision.js';
import type {QuietShown} from '../checks/types.js';
import type {ActionRun, QuietLog, QuietRecord} from './events.js';
import {LocalQuietLog} from './local-log.js';
import {describeWindow} from './maintenance.js';

/** How long past its timeout a run on another host, never heard of again, is still taken to be running. */
const OTHER_HOST_MARGIN_MS = 60_000;

/**
 * Where this process reads and writes what quiets the watcher: the team's database when coordination is on
 * (a deploy on one machine quiets the watcher on another), else the state directory.
 */
export async function openQuietLog(env: NodeJS.ProcessEnv, catalog: Pick<Catalog, 'coordination'> | undefined, stateDir: string): Promise<QuietLog> {
  const coordination = coordinationOf(env, catalog);
  if (coordination.kind === 'local') return new LocalQuietLog(stateDir);
  const {PostgresQuietLog} = await import('./postgres-log.js');
  return new PostgresQuietLog(coordination);
}

/** The catalog's rules over a record: what the decision needs. */
export function quietContext(catalog: Catalog, record: QuietRecord, host = hostname(), now = Date.now()): QuietContext {
  return {
    record,
    windows: catalog.maintenance,
    graceMs: (service) => catalog.services.get(service)?.watch.graceAfterActionMs ?? 0,
    dependsOn: (service) => catalog.services.get(service)?.dependsOn ?? [],
    running: (run) => {
      // On this host, its process says; elsewhere, its timeout bounds it (a host that died never says so).
      if (run.host === host) return !holderGone({pid: run.pid, host: run.host, user: '', since: new Date(run.startedAt).toISOString()}, host);
      const actions = catalog.services.get(run.service)?.actions;
      const action = run.verb === 'rollback' ? (actions?.rollback ?? actions?.deploy) : actions?.[run.verb as 'deploy' | 'restart'];
      const timeoutMs = action?.timeoutMs ?? 0;
      return now < run.startedAt + timeoutMs + OTHER_HOST_MARGIN_MS;
    },
  };
}

/** Every service's reason to be quiet now, by name (the quiet ones only). */
export function quietServices(catalog: Catalog, record: QuietRecord, at: number): Map<string, QuietReason> {
  const context = quietContext(catalog, record, hostname(), at);
  const quiet = new Map<string, QuietReason>();
  for (const name of catalog.services.keys()) {
    const reason = quietReason(name, at, context);
    if (reason) quiet.set(name, reason);
  }
  return quiet;
}

/** A run as people name it: "deploy v2 by alice". */
export function runPhrase(run: ActionRun): string {
  return `${run.verb}${run.ref ? ` ${run.ref}` : ''} by ${run.who}`;
}

/** "HH:MM UTC" when within a day, else the date too. */
function moment(at: number, now: number): string {
  const iso = new Date(at).toISOString();
  return Math.abs(at - now) < 86_400_000 ? `${iso.slice(11, 16)} UTC` : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Why it is quiet, in a few words: "silenced until 14:00 UTC by alice (db migration)". */
export function describeQuiet(reason: QuietReason, now: number): string {
  switch (reason.kind) {
    case 'action': {
      return `${runPhrase(reason.run)} running (entry ${reason.run.entry})`;
    }
    case 'grace': {
      return `in the grace after ${runPhrase(reason.run)}, until ${moment(reason.until, now)}`;
    }
    case 'silence': {
      return `silenced until ${moment(reason.silence.until, now)} by ${reason.silence.who} (${reason.silence.reason})`;
    }
    case 'maintenance': {
      return `in maintenance until ${moment(reason.occurrence.to, now)} (${describeWindow(reason.occurrence.window, formatDuration(reason.occurrence.window.durationMs))})`;
    }
    case 'dependency': {
      return `${reason.on} ${describeQuiet(reason.reason, now)}`;
    }
  }
}

export function quietShown(reason: QuietReason, now: number): QuietShown {
  const until = quietUntil(reason);
  const base = {kind: reason.kind, detail: describeQuiet(reason, now), ...(until === undefined ? {} : {until: new Date(until).toISOString()})};
  switch (reason.kind) {
    case 'silence': {
      return {...base, by: reason.silence.who, reason: reason.silence.reason, entry: reason.silence.id};
    }
    case 'action':
    case 'grace': {
      return {...base, by: reason.run.who, entry: reason.run.entry};
    }
    case 'dependency': {
      return {...base, by: reason.reason.run.who, entry: reason.reason.run.entry};
    }
    case 'maintenance': {
      return base;
    }
  }
}

/** The reason as the record has it now: a run that was running when it was read may have ended since. */
export function refreshed(reason: QuietReason, record: QuietRecord): QuietReason {
  const latest = (run: ActionRun) => record.actions.find((candidate) => candidate.entry === run.entry) ?? run;
  switch (reason.kind) {
    case 'action':
    case 'grace': {
      return {...reason, run: latest(reason.run)};
    }
    case 'dependency': {
      return {...reason, reason: {...reason.reason, run: latest(reason.reason.run)}};
    }
    default: {
      return reason;
    }
  }
}

/**
 * How an incident that opens as a quiet time ends says it began ("since deploy v2 by alice (entry …) finished
 * 2m ago"): the news is that the service did not come back.
 */
export function beganWith(reason: QuietReason, now: number): string {
  switch (reason.kind) {
    case 'action':
    case 'grace': {
      const {run} = reason;
      const ago = run.endedAt === undefined ? '' : since(now - run.endedAt);
      const ended = run.endedAt === undefined ? '' : run.outcome === 'succeeded' ? ` finished ${ago} ago` : ` ${run.outcome?.replace('_', ' ') ?? 'ended'} ${ago} ago`;
      return `since ${runPhrase(run)} (entry ${run.entry})${ended}`;
    }
    case 'silence': {
      return `throughout the silence by ${reason.silence.who} (${reason.silence.reason})`;
    }
    case 'maintenance': {
      return `throughout the maintenance window (${describeWindow(reason.occurrence.window, formatDuration(reason.occurrence.window.durationMs))})`;
    }
    case 'dependency': {
      return `since ${reason.on}'s ${beganWith(reason.reason, now).replace(/^since /, '')}`;
    }
  }
}

/** How long ago, as people say it: 40s, 2m, 1h05m. */
function since(ms: number): string {
  return ms < 60_000 ? formatDuration(Math.max(0, ms)) : formatSpan(ms);
}
