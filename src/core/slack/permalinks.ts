import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {shortHash} from '../text/hash.js';
import type {SlackApi} from './api.js';

/**
 * A message's link without a round trip: Slack's permalinks are the workspace's address, the channel and the
 * message's ts (https://team.slack.com/archives/C0123/p1700000000123456). The workspace's part is learnt from
 * the first chat.getPermalink and kept in the state directory, per token (by a short hash of it, never the token).
 */
export class PermalinkBook {
  private readonly key: string;

  constructor(
    private readonly file: string,
    token: string,
  ) {
    // FNV is no secret-keeping hash, and needs none here: 32 bits of a token's hash give nothing of the token
    // away, and node:crypto would cost every run that posts a few megabytes of memory to load.
    this.key = shortHash(token);
  }

  private load(): Record<string, string> {
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  /** The link of a root message, when this workspace's address is known. */
  link(channel: string, ts: string): string | undefined {
    const base = this.load()[this.key];
    return typeof base === 'string' && /^https:\/\/[^\s/]+\/archives\/$/.test(base) ? `${base}${channel}/p${ts.replace('.', '')}` : undefined;
  }

  /** Learns the workspace's address from a permalink Slack gave for (channel, ts); one of another shape is not used. */
  learn(permalink: string, channel: string, ts: string): void {
    const suffix = `${channel}/p${ts.replace('.', '')}`;
    if (!permalink.endsWith(suffix)) return;
    const base = permalink.slice(0, -suffix.length);
    if (!/^https:\/\/[^\s/]+\/archives\/$/.test(base)) return;
    const stored = this.load();
    if (stored[this.key] === base) return;
    try {
      mkdirSync(dirname(this.file), {recursive: true, mode: 0o700});
      writeFileSync(this.file, JSON.stringify({...stored, [this.key]: base}), {mode: 0o600});
    } catch {
      // A cache: without it, the next run asks Slack again.
    }
  }
}

/** A root message's link: from the book when the workspace's address is known, else asked of Slack (and learnt). */
export async function messageLink(api: SlackApi, channel: string, ts: string, book?: PermalinkBook): Promise<string | undefined> {
  const known = book?.link(channel, ts);
  if (known) return known;
  try {
    const result = await api.call('chat.getPermalink', {channel, message_ts: ts});
    const permalink = typeof result.permalink === 'string' ? result.permalink : undefined;
    if (permalink) book?.learn(permalink, channel, ts);
    return permalink;
  } catch {
    // A link is a nicety: the message is there either way.
    return undefined;
  }
}
