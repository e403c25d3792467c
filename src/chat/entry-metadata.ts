import {ENTRY_EVENT} from '../core/mirror/payload.js';
import type {ChatMessage} from './messages.js';
import type {ButtonClick, SlackSide} from './types.js';

/**
 * The entry a clicked message carries, as metadata for its edit: an update without it would leave the message
 * without its record (the channel is read back by it). From the click when Slack sent it, else from the channel.
 */
export async function entryMetadataOf(slack: SlackSide, message: NonNullable<ButtonClick['message']>): Promise<ChatMessage['metadata']> {
  const payload = message.metadata?.event_payload ?? (await slack.metadataOf(message).catch(() => undefined));
  return payload ? {event_type: ENTRY_EVENT, event_payload: payload} : undefined;
}
