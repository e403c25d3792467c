import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import type {SlackApi} from './api.js';
import {SlackFailure} from './failure.js';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

export function isChannelId(channel: string): boolean {
  return CHANNEL_ID.test(channel);
}

/**
 * Turns "#name" into a channel id (history, replies, updates and uploads need ids).
 * Ids learned from posts and lookups are cached on disk, so a lookup happens once per channel.
 */
export class ChannelDirectory {
  private cache?: Record<string, string>;

  constructor(private readonly cacheFile: string) {}

  private load(): Record<string, string> {
    if (!this.cache) {
      try {
        const stored = JSON.parse(readFileSync(this.cacheFile, 'utf8')) as unknown;
        // A cache of another shape (null, a list, garbage) is dropped: it costs one lookup again.
        this.cache = stored && typeof stored === 'object' && !Array.isArray(stored) ? Object.fromEntries(Object.entries(stored).filter(([, id]) => typeof id === 'string' && isChannelId(id))) : {};
      } catch {
        this.cache = {};
      }
    }
    return this.cache;
  }

  learn(channel: string, id: string): void {
    if (isChannelId(channel) || this.load()[channel] === id) return;
    this.load()[channel] = id;
    try {
      mkdirSync(dirname(this.cacheFile), {recursive: true, mode: 0o700});
      writeFileSync(this.cacheFile, JSON.stringify(this.cache), {mode: 0o600});
    } catch {
      // A cache: losing it costs a lookup, nothing more.
    }
  }

  known(channel: string): string | undefined {
    return isChannelId(channel) ? channel : this.load()[channel];
  }

  async id(channel: string, api: SlackApi): Promise<string> {
    const known = this.known(channel);
    if (known) return known;
    const name = channel.replace(/^#/, '');
    let cursor: string | undefined;
    do {
      const page = await api.call('conversations.list', {types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor});
      const match = (page.channels as {id: string; name: string}[] | undefined)?.find((c) => c.name === name);
      if (match) {
        this.learn(channel, match.id);
        return match.id;
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    throw new SlackFailure('permanent', 'channel_not_found');
  }
}
