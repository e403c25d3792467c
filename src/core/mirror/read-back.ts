import type {Entry} from '../entry/types.js';
import type {SlackApi} from '../slack/api.js';
import {SlackFailure} from '../slack/failure.js';
import {sleep} from '../platform/sleep.js';
import {DIGEST_EVENT, ENTRY_EVENT, entriesFromDigest, entryFromPayload} from './payload.js';

interface HistoryMessage {
  ts?: string;
  text?: string;
  blocks?: Record<string, unknown>[];
  user?: string;
  bot_id?: string;
  subtype?: string;
  metadata?: {event_type?: string; event_payload?: unknown};
}

export interface ChannelLog {
  entries: Entry[];
  /** Messages that claimed to be foggy entries but were not posted by foggy's bot, or lacked an entry's shape. */
  skipped: number;
}

/** Who foggy's bot is (auth.test), so that only its own messages are trusted. */
export interface BotIdentity {
  botId?: string;
  userId?: string;
}

export async function botIdentity(api: SlackApi): Promise<BotIdentity> {
  const auth = await api.call('auth.test');
  return {botId: typeof auth.bot_id === 'string' ? auth.bot_id : undefined, userId: typeof auth.user_id === 'string' ? auth.user_id : undefined};
}

function postedBy(message: HistoryMessage, bot: BotIdentity): boolean {
  if (bot.botId) return message.bot_id === bot.botId;
  return Boolean(bot.userId) && message.user === bot.userId;
}

/**
 * The entries a message of the channel holds (one, or a digest's, oldest first), when it is foggy's; what
 * claims to be an entry but is not (another poster, a payload of another shape) is counted as skipped.
 */
function entriesOf(message: HistoryMessage, bot: BotIdentity): {entries: Entry[]; skipped: number} {
  const type = message.metadata?.event_type;
  if (type !== ENTRY_EVENT && type !== DIGEST_EVENT) return {entries: [], skipped: 0};
  if (!postedBy(message, bot)) return {entries: [], skipped: 1};
  if (type === ENTRY_EVENT) {
    const entry = entryFromPayload(message.metadata?.event_payload);
    return entry ? {entries: [entry], skipped: 0} : {entries: [], skipped: 1};
  }
  const digest = entriesFromDigest(message.metadata?.event_payload);
  return digest ? {entries: [...digest.entries], skipped: digest.malformed} : {entries: [], skipped: 1};
}

/**
 * Reads entries back from the channel: the metadata of foggy's own messages, never their prose. Anyone
 * can post a message with metadata that looks like foggy's: only messages by foggy's bot whose payload
 * has an entry's shape count; the rest are skipped and counted. Entries in digests come out one by one,
 * and no entry is listed twice. Pages through history, newest first, until `limit` entries are found,
 * and lists them newest first by when they started.
 */
export async function readChannelEntries(api: SlackApi, channelId: string, options: {limit: number; filter?: (entry: Entry) => boolean; maxPages?: number; bot: BotIdentity}): Promise<ChannelLog> {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  let cursor: string | undefined;
  const take = (entry: Entry) => {
    if (seen.has(entry.id)) return;
    seen.add(entry.id);
    if (options.filter && !options.filter(entry)) return;
    entries.push(entry);
  };
  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const result = await api.call('conversations.history', {channel: channelId, include_all_metadata: true, limit: 200, cursor});
    for (const message of (result.messages ?? []) as HistoryMessage[]) {
      const found = entriesOf(message, options.bot);
      skipped += found.skipped;
      // A digest lists its entries oldest first; history reads newest first.
      for (const entry of found.entries.reverse()) take(entry);
    }
    // Whole pages: a digest delivered late sits above newer entries posted one by one.
    if (entries.length >= options.limit) break;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  entries.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  return {entries: entries.slice(0, options.limit), skipped};
}

/** Pages of history a report reads at most (200 messages each). */
const PERIOD_MAX_PAGES = 2_000;
/** Waits for rate limits while reading a long history, each as long as Slack asks, at most this many. */
const RATE_LIMIT_WAITS = 20;

/**
 * Every entry in the channel's messages posted since `oldest` (epoch ms), newest first as history pages go,
 * handed to `onEntry` one at a time (a year of history is never held at once). Digests give their entries one
 * by one; the same entry may come more than once (its message and a digest): the caller counts it once.
 * Rate limits are waited out, as long as Slack asks.
 */
export async function readChannelPeriod(
  api: SlackApi,
  channelId: string,
  options: {oldest: number; bot: BotIdentity; onEntry: (entry: Entry) => void; onPage?: (pages: number) => void; wait?: (ms: number) => Promise<void>},
): Promise<{skipped: number; pages: number}> {
  let skipped = 0;
  let cursor: string | undefined;
  let pages = 0;
  let waits = 0;
  const wait = options.wait ?? sleep;
  while (pages < PERIOD_MAX_PAGES) {
    let result;
    try {
      result = await api.call('conversations.history', {channel: channelId, include_all_metadata: true, limit: 200, oldest: (options.oldest / 1000).toFixed(6), cursor});
    } catch (error) {
      const failure = error as {kind?: string; retryAfterMs?: number};
      if (failure.kind !== 'rate_limited' || waits++ >= RATE_LIMIT_WAITS) throw error;
      await wait(failure.retryAfterMs ?? 1000);
      continue;
    }
    pages++;
    options.onPage?.(pages);
    for (const message of (result.messages ?? []) as HistoryMessage[]) {
      const found = entriesOf(message, options.bot);
      skipped += found.skipped;
      for (const entry of found.entries) options.onEntry(entry);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return {skipped, pages};
}

/** Why the channel could not be read, and what happens instead (the remedy, if any, is the front end's to add). */
export function unreadable(channel: string, error: unknown, instead: string): string {
  const failure = error instanceof SlackFailure ? error : undefined;
  return `Could not read ${channel} (${failure?.code ?? (error as Error).message}); ${instead}.${failure?.hint ? ` ${failure.hint}` : ''}`;
}

/** A message of foggy's as the channel holds it now: where it is, what it shows, and its metadata. */
export interface EntryMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: Record<string, unknown>[];
  metadata: {event_type: string; event_payload: unknown};
}

/**
 * The message of one entry (its own, not a digest's line), looked for from `since` (epoch ms; a little before the
 * entry started) on: a few pages of history at most. Only foggy's bot's messages count.
 */
export async function findEntryMessage(api: SlackApi, channelId: string, id: string, options: {bot: BotIdentity; since: number; maxPages?: number}): Promise<EntryMessage | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 10); page++) {
    const result = await api.call('conversations.history', {channel: channelId, include_all_metadata: true, limit: 200, oldest: (Math.max(0, options.since) / 1000).toFixed(6), cursor});
    for (const message of (result.messages ?? []) as HistoryMessage[]) {
      if (message.metadata?.event_type !== ENTRY_EVENT || !postedBy(message, options.bot) || !message.ts) continue;
      const payload = message.metadata.event_payload as {id?: unknown} | undefined;
      if (payload?.id === id) return {channel: channelId, ts: message.ts, text: message.text ?? '', blocks: message.blocks ?? [], metadata: {event_type: ENTRY_EVENT, event_payload: message.metadata.event_payload}};
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return undefined;
}
