import type {Catalog, Service} from '../catalog/types.js';
import type {ServiceStatus} from '../checks/types.js';
import {formatDuration} from '../text/duration.js';
import {buildEntry} from '../entry/build.js';
import type {EntryEnd, Who} from '../entry/types.js';
import type {Journal, JournalEntry} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import {maskDeep, type Mask} from '../mask/masker.js';

/**
 * Incidents as entries like any other: journaled before anything is posted, put in the outbox for the
 * channel, completed (resolved) by an end record. One open incident per service at a time.
 */
export class IncidentBook {
  private readonly open = new Map<string, JournalEntry>();
  /** Incidents this watcher put in the outbox and delivers: read by id, so a round never lists the whole outbox. */
  readonly queued = new Set<string>();

  constructor(
    private readonly options: {
      catalog: Catalog;
      journal: Journal;
      outbox: Outbox;
      mask: Mask;
      env: NodeJS.ProcessEnv;
      who?: Who;
      /** The watcher's command line, as its front end shows it: the incident entries'. */
      commandLine: string;
      channelFor: (service: Service) => string | undefined;
      /** Whether the service's incident messages offer chat's silence buttons (foggy serve is set up for it). */
      silenceable?: (service: Service) => boolean;
      /** The status the front end reports for an outcome, kept in the entry as for every run. */
      exitCodeOf?: (outcome: 'resolved') => number | undefined;
      /** Where the team's watchers share their open incidents (coordination on): every change written through. */
      shared?: {save(entry: JournalEntry): void; remove(service: string): void};
    },
  ) {}

  openFor(service: string): JournalEntry | undefined {
    const current = this.open.get(service);
    return current && this.latest(current);
  }

  /** With the delivery as far as it got: a pass cut short leaves its steps in the outbox copy. */
  private latest(entry: JournalEntry): JournalEntry {
    const queued = this.options.outbox.get(entry.id);
    return queued?.delivery ? {...entry, delivery: queued.delivery} : entry;
  }

  all(): JournalEntry[] {
    return [...this.open.values()].map((entry) => this.latest(entry));
  }

  private queue(entry: JournalEntry): void {
    this.options.outbox.put(entry);
    this.queued.add(entry.id);
  }

  /** Where delivery put an open incident's message: kept for its edits and reminders. */
  delivered(entry: JournalEntry): void {
    const current = this.open.get(entry.services[0]);
    if (current && current.id === entry.id) {
      current.delivery = entry.delivery;
      this.options.shared?.save(current);
    }
  }

  /** An incident a previous watcher opened (found in the journal): this watcher carries it on. */
  adopt(entry: JournalEntry): void {
    const owned = {...entry, pid: process.pid};
    this.open.set(entry.services[0], owned);
    this.options.shared?.save(owned);
    // Still waiting for the channel: now this process delivers it.
    if (this.options.outbox.get(entry.id)) this.queue(owned);
  }

  /**
   * The service is declared down (or flapping): a new entry, journaled first, then queued for the channel. One
   * that opens as a quiet time ends says what that was (`began`: "since deploy v2 by alice … finished 2m ago").
   */
  raise(service: Service, state: 'down' | 'flapping', since: string, status: ServiceStatus | undefined, changes?: number, began?: string): JournalEntry {
    const {catalog, journal, mask, env, who} = this.options;
    const entry = buildEntry({verb: 'incident', services: [service.name], args: {}, commandLine: this.options.commandLine, channel: this.options.channelFor(service), who}, catalog, mask, {env});
    const silenceable = this.options.silenceable?.(service) ? true : undefined;
    const incident: JournalEntry = maskDeep(
      {
        ...entry,
        startedAt: since,
        summary: state === 'flapping' ? `${service.name} is flapping` : describeFailure(service.name, status, began),
        status: status ? [status] : undefined,
        incident: {state, changes, began, silenceable},
        mention: service.mention.length > 0 ? service.mention : undefined,
      },
      mask,
    );
    journal.append({kind: 'start', entry: incident});
    if (incident.channel) this.queue(incident);
    this.open.set(service.name, incident);
    this.options.shared?.save(incident);
    return incident;
  }

  /** An open incident changes state (down ↔ flapping): recorded, and its root message edited. */
  change(service: string, state: 'down' | 'flapping', status: ServiceStatus | undefined, changes?: number): JournalEntry | undefined {
    const current = this.openFor(service);
    if (!current || current.incident?.state === state) return current;
    const {mask} = this.options;
    return this.update(service, current, maskDeep({outcome: 'running' as const, incident: {...current.incident, state, changes}, summary: state === 'flapping' ? `${service} is flapping` : describeFailure(service, status, current.incident?.began), status: status ? [status] : current.status}, mask));
  }

  /** The open incident's service was silenced (or its silence ended): its message says so, its buttons go. */
  silenced(service: string, silenced: {by: string; until: string; reason: string} | undefined): JournalEntry | undefined {
    const current = this.openFor(service);
    if (!current || JSON.stringify(current.incident?.silenced) === JSON.stringify(silenced)) return current;
    return this.update(service, current, maskDeep({outcome: 'running' as const, incident: {...current.incident!, silenced}}, this.options.mask));
  }

  /** An open incident changed (its state, its silence): journaled, its message to be edited, shared with the team. */
  private update(service: string, current: JournalEntry, end: EntryEnd): JournalEntry {
    this.options.journal.append({kind: 'end', id: current.id, end});
    const steps = (current.delivery?.steps ?? []).filter((step) => step !== 'final');
    const updated: JournalEntry = {...current, ...end, delivery: current.delivery && {...current.delivery, steps}};
    this.open.set(service, updated);
    if (updated.channel) this.queue(updated);
    this.options.shared?.save(updated);
    return updated;
  }

  /** A finished entry of the watcher's own (a silence that is over): journaled, then delivered with the incidents. */
  record(entry: JournalEntry): void {
    this.options.journal.append({kind: 'start', entry: {...entry, outcome: 'running', endedAt: undefined, durationMs: undefined, exitCode: undefined}});
    this.options.journal.append({kind: 'end', id: entry.id, end: {outcome: entry.outcome, endedAt: entry.endedAt, durationMs: entry.durationMs, exitCode: entry.exitCode, summary: entry.summary}});
    if (entry.channel) this.queue(entry);
  }

  /** The service is up again: the incident ends, with how long it lasted. */
  resolve(service: string, now: Date): JournalEntry | undefined {
    const current = this.openFor(service);
    if (!current) return undefined;
    const durationMs = Math.max(0, now.getTime() - Date.parse(current.startedAt));
    const end = {outcome: 'resolved' as const, exitCode: this.options.exitCodeOf?.('resolved'), endedAt: now.toISOString(), durationMs, summary: `${service} is up again after ${formatDuration(durationMs)}`};
    this.options.journal.append({kind: 'end', id: current.id, end});
    const resolved: JournalEntry = {...current, ...end};
    this.open.delete(service);
    if (resolved.channel) this.queue(resolved);
    this.options.shared?.remove(service);
    return resolved;
  }
}

/** "site: connection refused; db: timed out after 1s", or undefined when no check says why. */
export function failingChecks(status: ServiceStatus | undefined): string | undefined {
  const failed = status?.checks.filter((check) => !check.ok) ?? [];
  return failed.length === 0 ? undefined : failed.map((check) => `${check.name}: ${check.detail}`).join('; ');
}

/** "web is down: site: connection refused; db: timed out after 1s", with what it began with when said. */
export function describeFailure(service: string, status: ServiceStatus | undefined, began?: string): string {
  const why = failingChecks(status);
  if (began) return why ? `${service} is down ${began}: ${why}` : `${service} is down ${began}`;
  return why ? `${service} is down: ${why}` : `${service} is down`;
}
