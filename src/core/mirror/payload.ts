import {OUTCOMES as ALL_OUTCOMES, VERBS as ALL_VERBS, type Entry, type Outcome, type Verb} from '../entry/types.js';
import {MAX_REF_LENGTH} from '../run/input-limits.js';
import {clip} from './slack-text.js';

/**
 * The entry as message metadata, so that `foggy log` and any other tool read entries back without
 * parsing prose. Slack documents the payload as values that are strings, numbers, booleans, objects
 * of those, or lists of such objects; it refuses payloads that are too large. So the payload has that
 * shape and a bounded size whatever the number of services: long texts are clipped, lists capped, and
 * what does not fit stays in the thread, the attached file and the local journal.
 */

export const ENTRY_EVENT = 'foggy_entry';
export const DIGEST_EVENT = 'foggy_digest';
export const OUTPUT_EVENT = 'foggy_output';

/** Bounds, in characters of JSON, for one entry's payload and for a digest's. */
export const ENTRY_PAYLOAD_LIMIT = 4_000;
export const DIGEST_PAYLOAD_LIMIT = 6_000;
/** Services listed in an entry's status payload (failing ones first); the rest are counted. */
const STATUS_LISTED = 20;

type Primitive = string | number | boolean;
type Flat = Record<string, Primitive>;
export type Payload = Record<string, Primitive | Flat | Flat[]>;

const VERBS = new Set<Verb>(ALL_VERBS);
const OUTCOMES = new Set<Outcome>(ALL_OUTCOMES);
const ID = /^[\w-]{1,64}$/;

function defined<T extends Record<string, unknown>>(object: T): {[K in keyof T]: Exclude<T[K], undefined>} {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as never;
}

export function countStatus(entry: Entry): {total: number; up: number; down: number} | undefined {
  if (entry.statusCounts) return entry.statusCounts;
  if (!entry.status) return undefined;
  const down = entry.status.filter((service) => !service.ok).length;
  return {total: entry.status.length, up: entry.status.length - down, down};
}

function statusPayload(entry: Entry, listed: number): Flat[] | undefined {
  if (!entry.status) return undefined;
  const ordered = [...entry.status.filter((s) => !s.ok), ...entry.status.filter((s) => s.ok)].slice(0, listed);
  return ordered.map((service) =>
    defined({
      service: service.service,
      ok: service.ok,
      latencyMs: service.latencyMs,
      failing: service.ok ? undefined : clip(service.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; '), 200),
    }),
  );
}

/** The full entry, compact and bounded. */
export function entryPayload(entry: Entry): Payload {
  for (const [listed, text] of [
    [STATUS_LISTED, 500],
    [5, 200],
    [0, 100],
  ] as const) {
    const payload = buildPayload(entry, listed, text);
    if (JSON.stringify(payload).length <= ENTRY_PAYLOAD_LIMIT) return payload;
  }
  return buildPayload(entry, 0, 40);
}

function buildPayload(entry: Entry, listed: number, text: number): Payload {
  const counts = countStatus(entry);
  const status = statusPayload(entry, listed);
  return defined({
    v: 2,
    id: entry.id,
    verb: entry.verb,
    outcome: entry.outcome,
    services: clip(entry.services.join(','), text),
    servicesCount: entry.services.length,
    // A ref whole (input limits bound it): rollback reads it back to deploy it again.
    args: argsPayload(entry),
    rollbackOf: entry.rollbackOf,
    commandLine: clip(entry.commandLine, text),
    command: entry.command === undefined ? undefined : clip(entry.command, text),
    who: defined({user: clip(entry.who.user, 100), host: clip(entry.who.host, 100), actor: entry.who.actor === undefined ? undefined : clip(entry.who.actor, 100), slackUser: entry.who.slackUser, name: entry.who.name === undefined ? undefined : clip(entry.who.name, 100)}),
    where: defined({
      kind: entry.where.kind,
      cwd: clip(entry.where.cwd, Math.min(text, 200)),
      ci: entry.where.ci ? clip(entry.where.ci.name, 100) : undefined,
      ciUrl: entry.where.ci?.url ? clip(entry.where.ci.url, 300) : undefined,
      repository: entry.where.repository ? clip(entry.where.repository, 200) : undefined,
      commit: entry.where.commit?.slice(0, 40),
      committedAt: entry.where.committedAt,
      branch: entry.where.branch ? clip(entry.where.branch, 100) : undefined,
      chatChannel: entry.where.chat?.channel,
      chatTeam: entry.where.chat?.team,
    }),
    reason: entry.reason === undefined ? undefined : clip(entry.reason, Math.min(text, 300)),
    confirmedBy: entry.confirmedBy,
    lock: entry.lock ? defined({kind: entry.lock.kind, token: entry.lock.token, lost: entry.lock.lost === undefined ? undefined : clip(entry.lock.lost, 200)}) : undefined,
    channel: entry.channel,
    catalog: clip(entry.catalog, 200),
    pid: entry.pid,
    startedAt: entry.startedAt,
    endedAt: entry.endedAt,
    durationMs: entry.durationMs,
    exitCode: entry.exitCode,
    summary: entry.summary === undefined ? undefined : clip(entry.summary, text),
    status: status && status.length > 0 ? status : undefined,
    statusCounts: counts,
    output: entry.output ? {bytes: entry.output.bytes, truncated: entry.output.truncated} : undefined,
    incident: entry.incident ? defined({state: entry.incident.state, changes: entry.incident.changes, began: entry.incident.began === undefined ? undefined : clip(entry.incident.began, Math.min(text, 200))}) : undefined,
    silence: entry.silence
      ? defined({id: entry.silence.id, services: clip(entry.silence.services.join(','), text), from: entry.silence.from, until: entry.silence.until, reason: clip(entry.silence.reason, Math.min(text, 300)), end: entry.silence.end, setBy: entry.silence.setBy === undefined ? undefined : clip(entry.silence.setBy, 100)})
      : undefined,
  }) as Payload;
}

function argsPayload(entry: Entry): Flat | undefined {
  const {ref, from} = entry.args;
  if (ref === undefined && from === undefined) return undefined;
  return defined({ref: ref === undefined ? undefined : clip(ref, MAX_REF_LENGTH), from: from === undefined ? undefined : clip(from, MAX_REF_LENGTH)}) as Flat;
}

/** One line of a digest: what `foggy log` shows of an entry, nothing more. */
export function digestItem(entry: Entry): Flat {
  return defined({
    id: entry.id,
    verb: entry.verb,
    outcome: entry.outcome,
    services: clip(entry.services.join(','), 120),
    servicesCount: entry.services.length,
    user: clip(entry.who.user, 60),
    host: clip(entry.who.host, 60),
    actor: entry.who.actor === undefined ? undefined : clip(entry.who.actor, 60),
    name: entry.who.name === undefined ? undefined : clip(entry.who.name, 60),
    where: entry.where.kind === 'ci' ? clip(entry.where.ci?.name ?? 'CI', 40) : entry.where.kind,
    startedAt: entry.startedAt,
    durationMs: entry.durationMs,
    exitCode: entry.exitCode,
    reason: entry.reason === undefined ? undefined : clip(entry.reason, 80),
    summary: entry.summary === undefined ? undefined : clip(entry.summary, 120),
    // Cut short here ("…" at its end): rollback does not deploy a ref read from a digest's line.
    ref: entry.args.ref === undefined ? undefined : clip(entry.args.ref, 60),
    rollbackOf: entry.rollbackOf,
    commit: entry.verb === 'deploy' ? entry.where.commit?.slice(0, 40) : undefined,
    committedAt: entry.verb === 'deploy' ? entry.where.committedAt : undefined,
  }) as Flat;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function servicesOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value ? value.split(',') : [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/**
 * An entry read back from a message's metadata, or undefined when the payload does not have an entry's
 * shape. Accepts the compact form and the full entries that earlier versions posted.
 */
export function entryFromPayload(payload: unknown): Entry | undefined {
  if (!isObject(payload)) return undefined;
  const {id, verb, outcome, startedAt} = payload;
  const services = servicesOf(payload.services);
  const who = isObject(payload.who) ? payload.who : {user: payload.user, host: payload.host, actor: payload.actor, name: payload.name};
  if (typeof id !== 'string' || !ID.test(id) || !VERBS.has(verb as Verb) || !OUTCOMES.has(outcome as Outcome) || !services) return undefined;
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt)) || typeof who.user !== 'string' || typeof who.host !== 'string') return undefined;
  const where = isObject(payload.where) ? payload.where : {};
  const kind = where.kind === 'chat' || payload.where === 'chat' ? 'chat' : where.kind === 'ci' || (typeof payload.where === 'string' && payload.where !== 'terminal') ? 'ci' : 'terminal';
  const ciName = text(where.ci) ?? (isObject(where.ci) ? text(where.ci.name) : undefined) ?? (typeof payload.where === 'string' && kind === 'ci' ? payload.where : undefined);
  const ref = text(isObject(payload.args) ? payload.args.ref : payload.ref);
  const from = isObject(payload.args) ? text(payload.args.from) : undefined;
  const rollbackOf = text(payload.rollbackOf);
  const counts = isObject(payload.statusCounts) ? payload.statusCounts : undefined;
  return defined({
    id,
    verb: verb as Verb,
    services,
    args: defined({ref, from}),
    rollbackOf: rollbackOf !== undefined && ID.test(rollbackOf) ? rollbackOf : undefined,
    commandLine: text(payload.commandLine) ?? '',
    command: text(payload.command),
    who: defined({user: who.user, host: who.host, actor: text(who.actor), slackUser: text(who.slackUser), name: text(who.name)}),
    where: defined({
      kind,
      cwd: text(where.cwd) ?? '',
      ci: kind === 'ci' ? defined({name: ciName ?? 'CI', url: text(where.ciUrl) ?? (isObject(where.ci) ? text(where.ci.url) : undefined)}) : undefined,
      repository: text(where.repository),
      commit: text(where.commit) ?? text(payload.commit),
      committedAt: text(where.committedAt) ?? text(payload.committedAt),
      branch: text(where.branch),
      chat: kind === 'chat' && text(where.chatChannel) !== undefined ? {channel: text(where.chatChannel)!, team: text(where.chatTeam) ?? ''} : undefined,
    }),
    reason: text(payload.reason),
    confirmedBy: text(payload.confirmedBy),
    lock: isObject(payload.lock) && (payload.lock.kind === 'local' || payload.lock.kind === 'postgres') ? defined({kind: payload.lock.kind, token: count(payload.lock.token), lost: text(payload.lock.lost)}) : undefined,
    channel: text(payload.channel),
    catalog: text(payload.catalog) ?? '',
    pid: count(payload.pid) ?? 0,
    startedAt,
    endedAt: text(payload.endedAt),
    durationMs: count(payload.durationMs),
    outcome: outcome as Outcome,
    exitCode: count(payload.exitCode),
    summary: text(payload.summary),
    statusCounts: counts && count(counts.total) !== undefined ? {total: count(counts.total)!, up: count(counts.up) ?? 0, down: count(counts.down) ?? 0} : undefined,
    incident: isObject(payload.incident) && (payload.incident.state === 'down' || payload.incident.state === 'flapping') ? defined({state: payload.incident.state, changes: count(payload.incident.changes), began: text(payload.incident.began)}) : undefined,
    silence: silenceOf(payload.silence),
  }) as Entry;
}

function silenceOf(value: unknown): Entry['silence'] {
  if (!isObject(value)) return undefined;
  const services = servicesOf(value.services);
  const [id, from, until, reason] = [text(value.id), text(value.from), text(value.until), text(value.reason)];
  if (!id || !services || !from || !until || reason === undefined || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(until))) return undefined;
  const end = value.end === 'early' || value.end === 'on time' ? (value.end as 'early' | 'on time') : undefined;
  return defined({id, services, from, until, reason, end, setBy: text(value.setBy)});
}

/** The entries a digest carries, oldest first; malformed items are dropped. */
export function entriesFromDigest(payload: unknown): {entries: Entry[]; malformed: number} | undefined {
  if (!isObject(payload) || typeof payload.digest !== 'string' || !Array.isArray(payload.entries)) return undefined;
  const entries: Entry[] = [];
  let malformed = 0;
  for (const item of payload.entries) {
    const entry = entryFromPayload(item);
    if (entry) entries.push(entry);
    else malformed++;
  }
  return {entries, malformed};
}
