import type {Entry} from '../entry/types.js';
import {formatSpan} from '../text/duration.js';
import {utcMinute} from './incident-message.js';
import {ENTRY_EVENT, entryPayload} from './payload.js';
import type {SlackMessage} from './slack-message.js';
import {escapeClipped} from './slack-text.js';

const section = (text: string) => ({type: 'section', text: {type: 'mrkdwn', text}});
const context = (text: string) => ({type: 'context', elements: [{type: 'mrkdwn', text}]});

/** The services as a silence names them: a few by name, many by count. */
function named(services: string[], markup: boolean): string {
  if (services.length > 5) return `${services.length} services`;
  return services.map((service) => (markup ? `*${escapeClipped(service, 80)}*` : service)).join(', ');
}

/**
 * A silence in the channel: set ("🔕 web silenced for 1h by alice: db migration"), ended early by someone, or
 * over on time (said by the watcher, so that a silence never ends without a word).
 */
export function silenceMessage(entry: Entry): SlackMessage {
  const silence = entry.silence!;
  const who = entry.who.actor ?? entry.who.name ?? entry.who.user;
  const span = formatSpan(Math.max(0, Date.parse(silence.until) - Date.parse(silence.from)));
  const reason = escapeClipped(silence.reason, 300);
  let head: string;
  let text: string;
  if (silence.end === 'early') {
    head = `:bell: ${named(silence.services, true)} no longer silenced: ended early by *${escapeClipped(who, 100)}* (set by ${escapeClipped(silence.setBy ?? 'someone', 100)}: ${reason})`;
    text = `${named(silence.services, false)} no longer silenced: ended early by ${who} (set by ${silence.setBy ?? 'someone'}: ${silence.reason})`;
  } else if (silence.end === 'on time') {
    head = `:bell: ${named(silence.services, true)} no longer silenced: the silence set by ${escapeClipped(silence.setBy ?? 'someone', 100)} for ${span} is over (${reason})`;
    text = `${named(silence.services, false)} no longer silenced: the silence set by ${silence.setBy ?? 'someone'} for ${span} is over (${silence.reason})`;
  } else {
    head = `:no_bell: ${named(silence.services, true)} silenced for ${span} by *${escapeClipped(who, 100)}*: ${reason}`;
    text = `${named(silence.services, false)} silenced for ${span} by ${who}: ${silence.reason}`;
  }
  const parts = [silence.end ? `silence \`${escapeClipped(silence.id, 64)}\`` : `until ${utcMinute(silence.until)}`, `\`${escapeClipped(entry.id, 64)}\``];
  return {text: escapeClipped(text, 3000), blocks: [section(head), context(parts.join(' · '))], metadata: {event_type: ENTRY_EVENT, event_payload: entryPayload(entry)}};
}
