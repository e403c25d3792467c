import type {Entry} from '../entry/types.js';
import {rootMessage} from '../mirror/message.js';
import type {MessagePreview} from './results.js';

/** The message a run would post now (its "in progress" root message), for --dry-run. */
export function previewMessage(entry: Entry): MessagePreview {
  const {text, blocks} = rootMessage(entry);
  return {channel: entry.channel, text, blocks};
}
