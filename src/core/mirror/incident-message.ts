import {formatDuration} from '../text/duration.js';
import type {Entry} from '../entry/types.js';
import {ENTRY_EVENT, entryPayload} from './payload.js';
import {escapeClipped} from './slack-text.js';
import type {SlackMessage} from './slack-message.js';

/**
 * The messages of an incident (foggy watch): one root message for its whole life, red while the service is
 * down, amber while it flaps, edited in place to green when it is back; the recovery and reminders go into
 * its thread. Only the first message mentions anyone: an edit notifies nobody, and the thread stays quiet.
 */
export const RECOVERY_EVENT = 'foggy_recovery';

/** The buttons an open incident's message offers (foggy serve answers them): silence the service for a while. */
export const SILENCE_BUTTONS = [
  {actionId: 'foggy_silence_1h', label: 'Silence 1h', forMs: 3_600_000},
  {actionId: 'foggy_silence_4h', label: 'Silence 4h', forMs: 4 * 3_600_000},
] as const;

/** What a silence button carries: which incident, of which service, for how long. */
export interface SilenceButtonValue {
  incident: string;
  service: string;
  forMs: number;
}

/** People (U…, W…) and user groups (S…) by Slack id; anything else never becomes a mention. */
export function mentionMarkup(ids: string[] = []): string {
  return ids
    .map((id) => (/^[UW][A-Z0-9]{2,20}$/.test(id) ? `<@${id}>` : /^S[A-Z0-9]{2,20}$/.test(id) ? `<!subteam^${id}>` : ''))
    .filter(Boolean)
    .join(' ');
}

const section = (text: string) => ({type: 'section', text: {type: 'mrkdwn', text}});
const context = (text: string) => ({type: 'context', elements: [{type: 'mrkdwn', text}]});

/** "2026-11-25 14:02 UTC": incidents are read across time zones. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function service(entry: Entry): string {
  return escapeClipped(entry.services[0] ?? 'service', 80);
}

/** Which checks fail, and why: one line each, from the entry's status. */
function failingLines(entry: Entry): string[] {
  const checks = (entry.status ?? []).flatMap((status) => status.checks.filter((check) => !check.ok));
  return checks.slice(0, 10).map((check) => `• *${escapeClipped(check.name, 120)}*: ${escapeClipped(check.detail, 300)}`);
}

/** The root message, as the incident stands now. */
export function incidentRootMessage(entry: Entry): SlackMessage {
  const name = service(entry);
  const since = utcMinute(entry.startedAt);
  const resolved = entry.outcome === 'resolved';
  const flapping = !resolved && entry.incident?.state === 'flapping';
  const mentions = resolved ? '' : mentionMarkup(entry.mention);
  const began = entry.incident?.began ? ` ${escapeClipped(entry.incident.began, 300)}` : '';
  const head = resolved
    ? `:large_green_circle: *${name}* is *up* again: down ${formatDuration(entry.durationMs ?? 0)}, from ${since} to ${utcMinute(entry.endedAt ?? entry.startedAt)}`
    : flapping
      ? `:large_orange_circle: *${name}* is *flapping*${entry.incident?.changes ? `: ${entry.incident.changes} changes` : ''} since ${since}${began}${mentions ? ` ${mentions}` : ''}`
      : `:red_circle: *${name}* is *down* since ${since}${began}${mentions ? ` ${mentions}` : ''}`;
  const blocks: Record<string, unknown>[] = [section(head)];
  const lines = failingLines(entry);
  if (!resolved && lines.length > 0) blocks.push(section(lines.join('\n')));
  const silenced = entry.incident?.silenced;
  const note = !resolved && silenced ? ` · :no_bell: silenced by ${escapeClipped(silenced.by, 100)} until ${utcMinute(silenced.until)} (${escapeClipped(silenced.reason, 200)})` : '';
  blocks.push(context(`incident \`${escapeClipped(entry.id, 64)}\` · watched from ${escapeClipped(entry.who.host, 100)}${note}`));
  if (!resolved && !silenced && entry.incident?.silenceable) blocks.push(silenceButtons(entry));
  const word = resolved ? `up again after ${formatDuration(entry.durationMs ?? 0)}` : flapping ? 'flapping' : `down since ${since}`;
  const why = !resolved && entry.summary ? `: ${entry.summary}` : '';
  return {text: escapeClipped(`${entry.services[0]} is ${word}${why}`, 3000), blocks, metadata: {event_type: ENTRY_EVENT, event_payload: entryPayload(entry)}};
}

/** "Silence 1h", "Silence 4h": a click in Slack silences the service (through foggy serve, as its rules allow). */
function silenceButtons(entry: Entry): Record<string, unknown> {
  return {
    type: 'actions',
    block_id: 'foggy_silence',
    elements: SILENCE_BUTTONS.map((button) => ({
      type: 'button',
      action_id: button.actionId,
      text: {type: 'plain_text', text: button.label},
      value: JSON.stringify({incident: entry.id, service: entry.services[0], forMs: button.forMs} satisfies SilenceButtonValue),
    })),
  };
}

/** In the thread when the service is back: so the channel sees it, not only the edited message. */
export function recoveryMessage(entry: Entry): SlackMessage {
  const text = `:large_green_circle: *${service(entry)}* is up again after ${formatDuration(entry.durationMs ?? 0)}.`;
  return {text: escapeClipped(`${entry.services[0]} is up again after ${formatDuration(entry.durationMs ?? 0)}`, 3000), blocks: [section(text)], metadata: {event_type: RECOVERY_EVENT, event_payload: {id: entry.id}}};
}

/** In the thread while it lasts; mentions nobody. */
export function reminderMessage(entry: Entry, now: Date): {text: string; blocks: Record<string, unknown>[]} {
  const lasting = formatDuration(Math.max(0, now.getTime() - Date.parse(entry.startedAt)));
  const state = entry.incident?.state === 'flapping' ? 'still flapping' : 'still down';
  const lines = failingLines(entry);
  return {
    text: escapeClipped(`${entry.services[0]} is ${state}, for ${lasting} now`, 3000),
    blocks: [section(`:hourglass: *${service(entry)}* is ${state}, for ${lasting} now.${lines.length > 0 ? `\n${lines.join('\n')}` : ''}`)],
  };
}
