/**
 * What makes the watcher quiet, as a log of events every process of the team appends to (deploys and
 * restarts as they start and end, silences as they are set, ended and told) and every reader folds into the
 * state it needs. The same events live in the state directory (local-log.ts) or in the team's database
 * (postgres-log.ts).
 */

/** A deploy, restart or rollback: quiet while it runs, and for a grace period after it succeeded. */
export interface ActionEvent {
  kind: 'action';
  /** The run's entry id. */
  entry: string;
  service: string;
  verb: string;
  ref?: string;
  /** A rollback: the deploy it undoes. */
  rollbackOf?: string;
  /** Who ran it, as a person reads it ("alice", "octocat (ci@runner-2)"). */
  who: string;
  at: string;
  /** Where it runs, to tell a run that died from one still going (this host's processes only). */
  host: string;
  pid: number;
}

export interface ActionEndEvent {
  kind: 'action-end';
  entry: string;
  at: string;
  outcome: string;
}

/** A silence: these services are quiet from `from` until `until`, for `reason`, by `who`. */
export interface SilenceEvent {
  kind: 'silence';
  /** The silence's id: the entry that set it. */
  id: string;
  services: string[];
  from: string;
  until: string;
  reason: string;
  who: string;
  /** Slack user id of who set it, when known (from chat). */
  slackUser?: string;
  /** Set from an incident's own button: that incident (its buttons silence once). */
  incident?: string;
}

/** A silence ended before its time (`by` someone), recorded as the entry `entry`. */
export interface SilenceEndEvent {
  kind: 'silence-end';
  id: string;
  at: string;
  by: string;
  entry: string;
}

/** The watcher told the channel a silence was over (once, whichever watcher of the team did). */
export interface SilenceToldEvent {
  kind: 'silence-told';
  id: string;
  at: string;
}

export type QuietEvent = ActionEvent | ActionEndEvent | SilenceEvent | SilenceEndEvent | SilenceToldEvent;

export interface ActionRun {
  entry: string;
  service: string;
  verb: string;
  ref?: string;
  rollbackOf?: string;
  who: string;
  startedAt: number;
  endedAt?: number;
  outcome?: string;
  host: string;
  pid: number;
}

export interface Silence {
  id: string;
  services: string[];
  from: number;
  /** When it ends: its `until`, or earlier when it was ended. */
  until: number;
  reason: string;
  who: string;
  slackUser?: string;
  incident?: string;
  /** Ended before its time: by whom, when, and the entry that says so. */
  ended?: {by: string; at: number; entry: string};
  /** The channel was told it is over. */
  told?: boolean;
}

export interface QuietRecord {
  actions: ActionRun[];
  silences: Silence[];
}

/** Events older than this never matter again: silences last at most 7 days, actions far less, grace after them minutes. */
export const QUIET_HORIZON_MS = 8 * 86_400_000;

const text = (value: unknown): value is string => typeof value === 'string';
const time = (value: unknown): value is string => text(value) && !Number.isNaN(Date.parse(value));

/**
 * Whether what was read has an event's shape: the log is a file anyone on the machine (or a table anyone of the
 * team) can write into, and a line of another shape is passed over, never a TypeError in the watcher.
 */
export function isQuietEvent(value: unknown): value is QuietEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  switch (event.kind) {
    case 'action': {
      return text(event.entry) && text(event.service) && text(event.verb) && text(event.who) && time(event.at) && text(event.host) && typeof event.pid === 'number' && (event.ref === undefined || text(event.ref)) && (event.rollbackOf === undefined || text(event.rollbackOf));
    }
    case 'action-end': {
      return text(event.entry) && time(event.at) && text(event.outcome);
    }
    case 'silence': {
      return text(event.id) && Array.isArray(event.services) && event.services.every(text) && time(event.from) && time(event.until) && text(event.reason) && text(event.who);
    }
    case 'silence-end': {
      return text(event.id) && time(event.at) && text(event.by) && text(event.entry);
    }
    case 'silence-told': {
      return text(event.id) && time(event.at);
    }
    default: {
      return false;
    }
  }
}

/** The events folded into what ran and what was silenced; an end whose start is gone (older than the horizon) is dropped. */
export function foldQuiet(read: readonly unknown[]): QuietRecord {
  const actions = new Map<string, ActionRun>();
  const silences = new Map<string, Silence>();
  for (const event of read) {
    if (!isQuietEvent(event)) continue;
    switch (event.kind) {
      case 'action': {
        actions.set(event.entry, {entry: event.entry, service: event.service, verb: event.verb, ref: event.ref, ...(event.rollbackOf ? {rollbackOf: event.rollbackOf} : {}), who: event.who, startedAt: Date.parse(event.at), host: event.host, pid: event.pid});
        break;
      }
      case 'action-end': {
        const run = actions.get(event.entry);
        if (run) Object.assign(run, {endedAt: Date.parse(event.at), outcome: event.outcome});
        break;
      }
      case 'silence': {
        if (!silences.has(event.id)) silences.set(event.id, {id: event.id, services: event.services, from: Date.parse(event.from), until: Date.parse(event.until), reason: event.reason, who: event.who, slackUser: event.slackUser, incident: event.incident});
        break;
      }
      case 'silence-end': {
        const silence = silences.get(event.id);
        if (silence && !silence.ended && Date.parse(event.at) < silence.until) {
          silence.ended = {by: event.by, at: Date.parse(event.at), entry: event.entry};
          silence.until = Date.parse(event.at);
        }
        break;
      }
      case 'silence-told': {
        const silence = silences.get(event.id);
        if (silence) silence.told = true;
        break;
      }
    }
  }
  return {actions: [...actions.values()], silences: [...silences.values()]};
}

/** Where the quiet events live: appended to by every process of the team, read by the watcher and the views. */
export interface QuietLog {
  append(event: QuietEvent): Promise<void>;
  /** The events of the last `sinceMs` (at most the horizon), oldest first. */
  read(now: number): Promise<QuietRecord>;
  close(): Promise<void>;
}
