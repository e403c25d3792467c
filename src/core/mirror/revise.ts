import type {SlackApi} from '../slack/api.js';
import {findEntryMessage, type BotIdentity} from './read-back.js';

/** How far before an entry's start its message is looked for (the poster's clock and Slack's may differ). */
const CLOCK_MARGIN_MS = 10 * 60_000;

/**
 * Changes the blocks of an entry's message in the channel (its text and metadata kept as they are): a deploy's
 * message gains its "Roll back" button after the service went down, or says it was rolled back. False when the
 * message is not found (posted in a digest, or in another channel).
 */
export async function reviseEntryMessage(
  api: SlackApi,
  channelId: string,
  entry: {id: string; startedAt: number},
  bot: BotIdentity,
  change: (blocks: Record<string, unknown>[]) => Record<string, unknown>[],
): Promise<boolean> {
  const message = await findEntryMessage(api, channelId, entry.id, {bot, since: entry.startedAt - CLOCK_MARGIN_MS});
  if (!message) return false;
  await api.call('chat.update', {channel: message.channel, ts: message.ts, text: message.text, blocks: change(message.blocks), metadata: message.metadata});
  return true;
}
