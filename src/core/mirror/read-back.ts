import type {Entry} from '../entry/types.js';
import type {SlackApi} from '../slack/api.js';
import {ENTRY_EVENT} from './message.js';

/**
 * Reads entries back from the channel: the metadata of foggy's messages, never their prose.
 * Pages through history, newest first, until `limit` entries (about `service`, if given) are found.
 */
export async function readChannelEntries(api: SlackApi, channelId: string, options: {limit: number; service?: string; maxPages?: number}): Promise<Entry[]> {
  const entries: Entry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const result = await api.call('conversations.history', {channel: channelId, include_all_metadata: true, limit: 200, cursor});
    for (const message of (result.messages ?? []) as {metadata?: {event_type?: string; event_payload?: Entry}}[]) {
      const entry = message.metadata?.event_type === ENTRY_EVENT ? message.metadata.event_payload : undefined;
      if (!entry?.id || (options.service && !entry.services?.includes(options.service))) continue;
      entries.push(entry);
      if (entries.length >= options.limit) return entries;
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return entries;
}
