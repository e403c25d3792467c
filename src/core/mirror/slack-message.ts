import type {Payload} from './payload.js';

/** A message as foggy posts it: the fallback text, the blocks, and the entry as metadata. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
  metadata: {event_type: string; event_payload: Payload};
}
