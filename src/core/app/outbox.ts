import {usageError} from '../errors/foggy-error.js';
import type {JournalEntry} from '../journal/journal.js';
import {creatorGone, isOrphaned} from '../journal/liveness.js';
import {Outbox} from '../journal/outbox.js';
import type {FlushProgress} from '../mirror/flush.js';
import {dropEntry, flushAll, retryEntry} from '../mirror/outbox-flush.js';
import {PERMANENT_HINTS, slackRemedy} from '../slack/failure.js';
import type {Connection} from '../slack/connection.js';
import type {AppContext} from './context.js';
import type {OutboxDropResult, OutboxFlushResult, OutboxListResult, OutboxRetryResult} from './results.js';

/** A background flush waits this long for entries that running foggy processes are still delivering. */
const BACKGROUND_LINGER_MS = 5_000;

/** `foggy outbox`: what waits, and what Slack refused for good (with the fix). */
export function listOutbox(app: AppContext): OutboxListResult & {skipped: number; dir: string} {
  const outbox = new Outbox(app.stateDir);
  const entries = outbox.list();
  const waiting = entries.filter((entry) => !entry.delivery?.refused);
  const refused = entries.filter((entry) => entry.delivery?.refused);
  return {
    entries: waiting.map((entry) => ({...entry, state: deliveryState(entry)})),
    setAside: refused.map((entry) => ({...entry, reason: entry.delivery!.refused!.code, fix: PERMANENT_HINTS[entry.delivery!.refused!.code], remedy: slackRemedy(entry.delivery!.refused!.code)})),
    skipped: outbox.skipped,
    dir: outbox.dir,
  };
}

function connected(app: AppContext): Connection {
  const slack = app.connection();
  if (!slack) throw usageError('Slack is not connected, so there is nowhere to deliver to.', {do: 'connect'});
  return slack;
}

/** `foggy outbox --flush`: deliver everything waiting, paced as Slack allows, within `timeout`. */
export async function flushOutbox(app: AppContext, request: {timeoutMs: number; background?: boolean; onProgress?: (progress: FlushProgress) => void}): Promise<OutboxFlushResult & {holder?: {pid: number}}> {
  const slack = connected(app);
  const budgetMs = request.timeoutMs;
  const result = request.background
    ? await flushAll(slack, app.env, budgetMs, {lingerMs: BACKGROUND_LINGER_MS, paceFromStart: true})
    : await flushAll(slack, app.env, budgetMs, {onProgress: request.onProgress});
  return {
    delivered: result.delivered,
    messages: result.messages,
    setAside: result.setAside,
    remaining: result.remaining,
    setAsideTotal: result.setAsideTotal,
    busy: result.busy,
    error: result.stoppedBy && {code: result.stoppedBy.code, hint: result.stoppedBy.hint, remedy: result.stoppedBy.remedy},
    holder: result.holder,
  };
}

/** `foggy outbox --retry ID`. */
export async function retryOutboxEntry(app: AppContext, request: {id: string; timeoutMs: number}): Promise<OutboxRetryResult> {
  const slack = connected(app);
  const result = await retryEntry(slack, app.env, request.id, request.timeoutMs);
  return {ok: result.delivered, entry: result.entry.id, error: result.failure && {code: result.failure.code, hint: result.failure.hint, remedy: result.failure.remedy}};
}

/** `foggy outbox --drop ID`: out of the outbox; the journal keeps the record. */
export function dropOutboxEntry(app: AppContext, request: {id: string}): OutboxDropResult & {entry: JournalEntry} {
  const entry = dropEntry(app.env, request.id);
  return {ok: true, dropped: entry.id, entry};
}

export function deliveryState(entry: JournalEntry): string {
  const steps = entry.delivery?.steps ?? [];
  if (entry.outcome === 'running' && !isOrphaned(entry)) return `in progress (pid ${entry.pid})`;
  if (!entry.delivery?.handedOver && !creatorGone(entry)) return `being delivered by its run (pid ${entry.pid})`;
  if (!steps.includes('posted')) return steps.includes('posting') || steps.includes('digesting') ? 'maybe posted: will check the channel first' : 'not posted';
  if (!steps.includes('final')) return 'posted; outcome not yet shown';
  return 'output not yet attached';
}
