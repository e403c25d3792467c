import {newEntryId} from '../entry/id.js';
import type {JournalEntry} from '../journal/journal.js';
import {deliverableByOthers, isOrphaned} from '../journal/liveness.js';
import {acquireLock, type LockHolder} from '../locks/pid-lock.js';
import {SlackFailure} from '../slack/failure.js';
import {deliver, deliverDigest, setAside, type DeliveryContext} from './delivery.js';
import {digestCapacity} from './message.js';
import {pacer} from './pacer.js';

export interface FlushProgress {
  delivered: number;
  setAside: number;
  total: number;
  messages: number;
}

export interface FlushResult {
  delivered: string[];
  /** Entries Slack refused for good during this flush: set aside, with the reason. */
  setAside: {id: string; code: string}[];
  /** Messages posted (a digest is one message for many entries). */
  messages: number;
  remaining: number;
  /** Entries in the outbox set aside (Slack refused them for good), this flush's and earlier ones. */
  setAsideTotal: number;
  /** Why the flush stopped early, if it did. */
  stoppedBy?: SlackFailure;
  /** Another process holds the outbox. */
  busy: boolean;
  holder?: LockHolder;
}

export interface FlushOptions {
  /** Never this entry (the caller's own, which it delivers itself). */
  exclude?: string;
  /** How long to wait for another flusher to finish. */
  waitForLockMs?: number;
  /** After the last deliverable entry, how long to wait for entries that live processes still own. */
  lingerMs?: number;
  /** Pace the first post of each channel too, as if one had just gone out (a run that started this flush just posted). */
  paceFromStart?: boolean;
  onProgress?: (progress: FlushProgress) => void;
}

export const DIGEST_THRESHOLD = 5;


/** Failures that concern the whole token or workspace: nothing else can get through either, so the flush stops. */
const TOKEN_LEVEL = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'ekm_access_denied', 'team_access_not_granted', 'not_allowed_token_type', 'no_permission']);

/** A permanent failure that belongs to one entry (its channel, its message): set it aside and go on. */
export function refusedForGood(failure: SlackFailure): boolean {
  return failure.kind === 'permanent' && !TOKEN_LEVEL.has(failure.code);
}

export type FlushItem = {kind: 'single'; entry: JournalEntry} | {kind: 'digest'; id: string; entries: JournalEntry[]};

const fresh = (entry: JournalEntry) => (entry.delivery?.steps.length ?? 0) === 0 && !entry.delivery?.digest;

/**
 * What to post, oldest first: a digest already under way is resumed whole; fresh entries of a channel
 * with a backlog go out in digests (never an incident: it keeps a message of its own, to be edited); anything else (an action whose "in progress" message exists, an
 * entry partly delivered, a short queue) on its own.
 */
export function planFlush(entries: JournalEntry[], newDigestId: () => string = newEntryId): FlushItem[] {
  const items: FlushItem[] = [];
  const resumed = new Map<string, JournalEntry[]>();
  const freshByChannel = new Map<string, JournalEntry[]>();
  for (const entry of entries) {
    const digest = entry.delivery?.digest;
    if (digest && !entry.delivery?.steps.includes('posted')) resumed.set(digest, [...(resumed.get(digest) ?? []), entry]);
    else if (fresh(entry) && entry.channel && entry.outcome !== 'running' && entry.verb !== 'incident') freshByChannel.set(entry.channel, [...(freshByChannel.get(entry.channel) ?? []), entry]);
    else items.push({kind: 'single', entry});
  }
  for (const [id, members] of resumed) items.push({kind: 'digest', id, entries: members});
  for (const members of freshByChannel.values()) {
    if (members.length < DIGEST_THRESHOLD) {
      for (const entry of members) items.push({kind: 'single', entry});
      continue;
    }
    for (let start = 0; start < members.length; ) {
      const take = digestCapacity(members.slice(start));
      items.push({kind: 'digest', id: newDigestId(), entries: members.slice(start, start + take)});
      start += take;
    }
  }
  const first = (item: FlushItem) => (item.kind === 'single' ? item.entry.id : item.entries[0].id);
  return items.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
}

/**
 * Delivers what waits in the outbox, oldest first, until the deadline. One flusher at a time (a lock that
 * names its holder), and only entries their owners have handed over or left behind, so two processes
 * never post the same entry. An entry Slack refuses for good is set aside and the flush goes on.
 */
export async function flushOutbox(context: DeliveryContext, options: FlushOptions = {}): Promise<FlushResult> {
  const all = () => context.outbox.list().filter((entry) => entry.id !== options.exclude && !entry.delivery?.dropped);
  const waiting = () => all().filter((entry) => !entry.delivery?.refused);
  const pending = () => waiting().filter((entry) => deliverableByOthers(entry));
  const counts = () => {
    const entries = all();
    const remaining = entries.filter((entry) => !entry.delivery?.refused).length;
    return {remaining, setAsideTotal: entries.length - remaining};
  };
  if (pending().length === 0 && !options.lingerMs) return {delivered: [], setAside: [], messages: 0, ...counts(), busy: false};

  const attempt = await acquireLock(context.outbox.lockFile, {what: 'flush', waitMs: options.waitForLockMs ?? 0, pollMs: 100});
  if (!attempt.acquired) return {delivered: [], setAside: [], messages: 0, ...counts(), busy: true, holder: attempt.holder};

  const delivered: string[] = [];
  const refused: {id: string; code: string}[] = [];
  let messages = 0;
  let stoppedBy: SlackFailure | undefined;
  const pace = pacer(context.sleep, () => context.deadline, options.paceFromStart ? Date.now() : 0);
  let lingerUntil = Date.now() + (options.lingerMs ?? 0);
  try {
    outer: while (Date.now() < context.deadline) {
      // Read again under the lock, and after every pass: owners hand entries over as they finish.
      const deliverable = pending();
      const items = planFlush(deliverable.map((entry) => (isOrphaned(entry) ? recordUnknown(context, entry) : entry)));
      if (items.length === 0) {
        if (Date.now() >= lingerUntil || waiting().length === 0) break;
        await context.sleep(Math.min(200, Math.max(0, lingerUntil - Date.now())));
        continue;
      }
      const grandTotal = delivered.length + refused.length + deliverable.length;
      for (const item of items) {
        if (Date.now() >= context.deadline) break outer;
        const entries = item.kind === 'single' ? [item.entry] : item.entries;
        try {
          if (item.kind === 'single') await deliver({...context, pace}, item.entry);
          else await deliverDigest({...context, pace}, item.id, item.entries);
          delivered.push(...entries.map((entry) => entry.id));
          messages++;
        } catch (error) {
          const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
          if (!refusedForGood(failure)) {
            stoppedBy = failure;
            break outer;
          }
          for (const entry of entries) {
            setAside(context, context.outbox.get(entry.id) ?? entry, failure);
            refused.push({id: entry.id, code: failure.code});
          }
        }
        options.onProgress?.({delivered: delivered.length, setAside: refused.length, total: grandTotal, messages});
      }
      lingerUntil = Date.now() + (options.lingerMs ?? 0);
    }
  } finally {
    attempt.lock.release();
  }
  return {delivered, setAside: refused, messages, ...counts(), stoppedBy, busy: false};
}

/** A process that died mid-action never wrote its end: the journal gets it now, as unknown. */
function recordUnknown(context: DeliveryContext, entry: JournalEntry): JournalEntry {
  const end = {outcome: 'unknown' as const, exitCode: undefined, summary: 'outcome unknown: process ended', endedAt: new Date().toISOString()};
  context.journal.append({kind: 'end', id: entry.id, end});
  const updated = {...entry, ...end};
  context.outbox.put(updated);
  return updated;
}

