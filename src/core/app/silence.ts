import {selectServices} from '../catalog/lookup.js';
import {whoShort} from '../entry/context.js';
import {FoggyError, inputError, usageError} from '../errors/foggy-error.js';
import {maskDeep} from '../mask/masker.js';
import type {Silence} from '../quiet/events.js';
import {openQuietLog} from '../quiet/quiet.js';
import {checkText, MAX_REASON_LENGTH} from '../run/input-limits.js';
import {formatSpan} from '../text/duration.js';
import type {AppContext, VerbOptions} from './context.js';
import {previewMessage} from './preview.js';
import type {SilenceDryRun, SilenceList, SilenceResult, SilenceShown} from './results.js';

/** A silence lasts from a minute to a week: shorter is a typo, longer is forgotten (and comes back to bite). */
export const MIN_SILENCE_MS = 60_000;
export const MAX_SILENCE_MS = 7 * 86_400_000;

export interface SilenceRequest extends VerbOptions {
  services: string[];
  /** How long it lasts; or `until`, an instant (epoch ms). Exactly one of them. */
  forMs?: number;
  until?: number;
  dryRun?: boolean;
  /** Set from an incident message's button: that incident. */
  incident?: string;
}

function shown(silence: Silence, now: number): SilenceShown {
  return {
    id: silence.id,
    services: silence.services,
    from: new Date(silence.from).toISOString(),
    until: new Date(silence.until).toISOString(),
    reason: silence.reason,
    who: silence.who,
    leftMs: Math.max(0, silence.until - now),
    ...(silence.ended ? {ended: {by: silence.ended.by, at: new Date(silence.ended.at).toISOString()}} : {}),
    ...(silence.incident ? {incident: silence.incident} : {}),
  };
}

/** `foggy silence SERVICE... --for 1h --reason …`: an entry like any run, and a quiet time every watcher of the team honours. */
export async function setSilence(app: AppContext, request: SilenceRequest): Promise<SilenceResult | SilenceDryRun> {
  const reason = request.reason?.trim();
  if (!reason) throw new FoggyError('A silence needs a reason: who reads the channel later must know why it was quiet.', {kind: 'usage', code: 'invalid_input', data: {field: 'reason', problem: 'required for a silence'}, remedy: {do: 'give', field: 'reason', example: 'db migration'}});
  checkText(reason, 'reason', MAX_REASON_LENGTH);
  if (request.services.length === 0) throw usageError('Name the services to silence.', {do: 'give', field: 'service', example: 'web'});
  if (request.forMs !== undefined && request.until !== undefined) throw inputError('until', 'give how long the silence lasts or until when, not both');
  if (request.forMs === undefined && request.until === undefined) throw inputError('for', 'required: how long the silence lasts, from 1m to 7d (or until when)');
  const now = app.now().getTime();
  const forMs = request.forMs ?? request.until! - now;
  if (!Number.isFinite(forMs) || forMs < MIN_SILENCE_MS || forMs > MAX_SILENCE_MS) {
    const field = request.forMs === undefined ? 'until' : 'for';
    throw inputError(field, request.forMs === undefined ? `expected a time between 1 minute and 7 days from now (got ${new Date(request.until!).toISOString()})` : `expected a duration from 1m to 7d (got ${formatSpan(forMs)})`);
  }
  const session = await app.session({...request, reason});
  const services = selectServices(session.catalog, [...new Set(request.services)]);
  const until = now + forMs;
  const entry = session.entryFor(services, {verb: 'silence', args: {for: formatSpan(forMs), until: new Date(until).toISOString()}, reason, commandLine: request.commandLine, where: request.where, who: app.deps.who});
  entry.silence = {id: entry.id, services: services.map((s) => s.name), from: new Date(now).toISOString(), until: new Date(until).toISOString(), reason: entry.reason ?? reason};
  const who = whoShort(entry.who);
  if (request.dryRun) {
    const masked = maskDeep(entry, session.mask);
    return {dryRun: true, silence: {services: masked.silence!.services, from: masked.silence!.from, until: masked.silence!.until, reason: masked.silence!.reason, who, leftMs: forMs}, entry: masked, message: previewMessage(masked)};
  }
  const silence = entry.silence;
  const summary = `${silence.services.join(', ')} silenced for ${formatSpan(forMs)} by ${who}: ${silence.reason}`;
  const recorded = await session.recorder.run(
    entry,
    async () => {
      const log = await openQuietLog(app.env, session.catalog, app.stateDir);
      try {
        await log.append({kind: 'silence', id: entry.id, services: silence.services, from: silence.from, until: silence.until, reason: silence.reason, who, slackUser: entry.who.slackUser, incident: request.incident});
      } finally {
        await log.close();
      }
      return {end: {outcome: 'succeeded', summary}};
    },
    {announce: false},
  );
  const done = recorded.entry;
  const set: Silence = {id: done.id, services: done.silence!.services, from: now, until, reason: done.silence!.reason, who, incident: request.incident};
  return {ok: done.outcome === 'succeeded', entry: done.id, silence: shown(set, now), summary: done.summary, permalink: recorded.posted?.permalink};
}

/** `foggy silence`: the silences in force now, soonest over first. */
export async function listSilences(app: AppContext, request: {configPath?: string}): Promise<SilenceList> {
  const catalog = await app.optionalCatalog(request.configPath);
  const log = await openQuietLog(app.env, catalog, app.stateDir);
  try {
    const now = app.now().getTime();
    const {silences} = await log.read(now);
    return {silences: silences.filter((s) => s.from <= now && now < s.until).sort((a, b) => a.until - b.until).map((s) => shown(s, now))};
  } finally {
    await log.close();
  }
}

export interface EndSilenceRequest extends VerbOptions {
  id: string;
}

/** `foggy silence --end ID`: over now, said in the channel, recorded as an entry of its own. */
export async function endSilence(app: AppContext, request: EndSilenceRequest): Promise<SilenceResult> {
  const session = await app.session(request);
  const log = await openQuietLog(app.env, session.catalog, app.stateDir);
  try {
    const now = app.now().getTime();
    const {silences} = await log.read(now);
    const silence = findSilence(silences, request.id);
    if (silence.ended) throw usageError(`Silence ${silence.id} was already ended, by ${silence.ended.by} at ${new Date(silence.ended.at).toISOString()}; nothing changed.`);
    if (silence.until <= now) throw usageError(`Silence ${silence.id} is already over (it ran until ${new Date(silence.until).toISOString()}); nothing changed.`);
    const services = selectServices(session.catalog, silence.services.filter((name) => session.catalog.services.has(name)));
    const entry = session.entryFor(services, {verb: 'silence', args: {end: silence.id}, reason: request.reason, commandLine: request.commandLine, where: request.where, who: app.deps.who});
    entry.services = silence.services;
    const who = whoShort(entry.who);
    entry.silence = {id: silence.id, services: silence.services, from: new Date(silence.from).toISOString(), until: new Date(now).toISOString(), reason: silence.reason, end: 'early', setBy: silence.who};
    const summary = `${silence.services.join(', ')} no longer silenced: ended early by ${who} (set by ${silence.who}: ${silence.reason})`;
    const recorded = await session.recorder.run(
      entry,
      async () => {
        await log.append({kind: 'silence-end', id: silence.id, at: new Date(now).toISOString(), by: who, entry: entry.id});
        return {end: {outcome: 'succeeded', summary}};
      },
      {announce: false},
    );
    const done = recorded.entry;
    return {ok: done.outcome === 'succeeded', entry: done.id, silence: shown({...silence, until: now, ended: {by: who, at: now, entry: done.id}}, now), summary: done.summary, permalink: recorded.posted?.permalink};
  } finally {
    await log.close();
  }
}

/** A silence by its id, or a unique prefix of it (as git takes abbreviated hashes). */
function findSilence(silences: Silence[], id: string): Silence {
  if (!/^[\w-]{4,64}$/.test(id)) throw usageError(`Not a silence id: ${JSON.stringify(id)}`, {do: 'list-silences'});
  const exact = silences.find((silence) => silence.id === id);
  if (exact) return exact;
  const matches = silences.filter((silence) => silence.id.startsWith(id));
  if (matches.length > 1) throw usageError(`"${id}" matches ${matches.length} silences: give more of the id.`);
  if (matches.length === 0) throw usageError(`No silence "${id}" (none with that id in the last week).`, {do: 'list-silences'});
  return matches[0];
}
