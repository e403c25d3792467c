import {formatDuration} from '../text/duration.js';
import type {Entry, Outcome} from '../entry/types.js';
import {whoShort} from '../entry/context.js';
import {countStatus, DIGEST_EVENT, DIGEST_PAYLOAD_LIMIT, digestItem, ENTRY_EVENT, entryPayload, OUTPUT_EVENT} from './payload.js';
import {escape, escapeClipped, escapeTail, safeLinkUrl} from './slack-text.js';
import {incidentRootMessage} from './incident-message.js';
import {silenceMessage} from './silence-message.js';
import {rollbackOfferBlock} from './rollback-message.js';
import {formatCount} from '../text/count.js';

export {ENTRY_EVENT, OUTPUT_EVENT, DIGEST_EVENT};

/**
 * The messages foggy posts, built so that Slack never refuses them for their size: at most 50 blocks,
 * a section's text at most 3,000 characters, all blocks together well under Slack's ~12,000 characters,
 * the `text` fallback under chat.update's 4,000, and bounded metadata, whatever the entry holds.
 * What does not fit is counted in the message and kept in the thread, the file and the journal.
 */
const SECTION_LIMIT = 3000;
const CONTEXT_LIMIT = 10;
const MAX_BLOCKS = 45;
const BLOCKS_BUDGET = 10_000;
const TEXT_LIMIT = 3000;
const TAIL_LIMIT = 2800;
/** Services listed in a status message before the rest are counted. */
const LISTED_SERVICES = 25;
/** A digest carries at most this many entries (and no more than its metadata bound allows). */
export const DIGEST_MAX_ENTRIES = 50;

export type {SlackMessage} from './slack-message.js';
import type {SlackMessage} from './slack-message.js';

/** A Slack user id: only these ever become a mention. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

const EMOJI: Record<Outcome, string> = {
  running: ':hourglass_flowing_sand:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  timed_out: ':alarm_clock:',
  refused: ':no_entry:',
  interrupted: ':octagonal_sign:',
  unknown: ':grey_question:',
  resolved: ':large_green_circle:',
};

const OUTCOME_WORDS: Record<Outcome, string> = {
  running: 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  refused: 'refused',
  interrupted: 'interrupted',
  unknown: 'outcome unknown: process ended',
  resolved: 'resolved',
};

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

function where(entry: Entry): string {
  return entry.where.kind === 'ci' ? (entry.where.ci?.name ?? 'CI') : entry.where.kind === 'chat' ? 'Slack' : 'a terminal';
}

/** The services as the headline names them: a few by name, many by count. */
function servicesPhrase(entry: Entry, markup: boolean): string {
  if (entry.services.length === 0) return '(no services)';
  if (entry.services.length > 5) return plural(entry.services.length, 'service');
  return entry.services.map((s) => (markup ? `\`${escapeClipped(s, 80)}\`` : s)).join(' ');
}

function statusPhrase(entry: Entry): string {
  const counts = countStatus(entry);
  if (entry.verb !== 'status' || !counts || counts.total <= 1 || counts.down === 0) return '';
  return ` (${formatCount(counts.down)} of ${formatCount(counts.total)} down)`;
}

/** The ref a deploy ran; a rollback's target and the ref it undid ("to `v2` from `v3`"). */
function refPhrase(entry: Entry, limit: number): string {
  const code = (ref: string) => `\`${escapeClipped(ref.replaceAll('`', "'"), limit)}\``;
  const {ref, from} = entry.args;
  if (entry.verb === 'rollback') return `${ref ? ` to ${code(ref)}` : ''}${from ? ` from ${code(from)}` : ''}`;
  return ref ? ` ${code(ref)}` : '';
}

function headline(entry: Entry): string {
  const outcome = OUTCOME_WORDS[entry.outcome];
  const duration = entry.durationMs === undefined ? '' : ` in ${formatDuration(entry.durationMs)}`;
  const ref = refPhrase(entry, 80);
  const who = escapeClipped(entry.who.actor ?? entry.who.name ?? entry.who.user, 100);
  return `${EMOJI[entry.outcome]} *${entry.verb}* ${servicesPhrase(entry, true)}${ref} by *${who}* from ${escapeClipped(where(entry), 100)}: *${outcome}*${statusPhrase(entry)}${duration}`;
}

function contextLine(entry: Entry): string[] {
  // A saved Slack identity is shown as a mention in this context line only (never in the headline or the
  // notification text), and only an id that looks like one, so nothing else can ping.
  const mention = entry.who.slackUser && SLACK_USER_ID.test(entry.who.slackUser) ? `<@${entry.who.slackUser}> ` : '';
  const parts = [entry.where.kind === 'chat' ? `${mention}via foggy serve on ${escapeClipped(entry.who.host, 100)}` : `${mention}${escapeClipped(entry.who.user, 100)}@${escapeClipped(entry.who.host, 100)}`];
  if (entry.confirmedBy && SLACK_USER_ID.test(entry.confirmedBy)) parts.push(`approved by <@${entry.confirmedBy}>`);
  if (entry.lock?.kind === 'postgres') parts.push(entry.lock.lost ? `:warning: the team lock (fencing token ${entry.lock.token}) was lost during the run: ${escapeClipped(entry.lock.lost, 200)}` : `team lock, fencing token ${entry.lock.token}`);
  if (entry.where.ci) {
    const url = safeLinkUrl(entry.where.ci.url);
    const name = escapeClipped(entry.where.ci.name, 100);
    parts.push(url ? `<${url}|${name} job>` : name);
  }
  if (entry.where.repository || entry.where.commit) {
    const repo = entry.where.repository ? entry.where.repository.replace(/\.git$/, '').replace(/^.*[/:]([^/:]+\/[^/:]+)$/, '$1') : 'repo';
    parts.push(`${escapeClipped(repo, 200)}${entry.where.commit ? `@${escapeClipped(entry.where.commit.slice(0, 7), 7)}` : ''}`);
  }
  if (entry.rollbackOf) parts.push(`undoes entry \`${escapeClipped(entry.rollbackOf, 64)}\``);
  if (entry.reason) parts.push(`reason: “${escapeClipped(entry.reason, 300)}”`);
  if (entry.summary && entry.verb !== 'status') parts.push(escapeClipped(entry.summary, 300));
  parts.push(`\`${escapeClipped(entry.id, 64)}\``);
  return parts.slice(0, CONTEXT_LIMIT);
}

function statusLine(service: NonNullable<Entry['status']>[number]): string {
  const failed = service.checks.filter((check) => !check.ok);
  const detail =
    failed.length === 0
      ? `${plural(service.checks.length, 'check')} passed`
      : failed.map((c) => `${c.name}: ${c.detail}`).join('; ');
  const quiet = service.quiet ? ` — :no_bell: ${escapeClipped(service.quiet.detail, 200)}` : '';
  return `${service.ok ? ':large_green_circle:' : ':red_circle:'} *${escapeClipped(service.service, 80)}* ${formatDuration(service.latencyMs)} ${escapeClipped(detail, 400)}${quiet}`;
}

/** Status lines, failing services first; past LISTED_SERVICES the rest are counted, not listed. */
function statusLines(entry: Entry): string[] {
  const status = entry.status ?? [];
  const failing = status.filter((s) => !s.ok);
  const up = status.filter((s) => s.ok);
  const listed = [...failing, ...up].slice(0, LISTED_SERVICES);
  const lines = listed.map((service) => statusLine(service));
  const counts = countStatus(entry);
  const notListedDown = Math.max(0, (counts?.down ?? failing.length) - listed.filter((s) => !s.ok).length);
  const notListedUp = Math.max(0, (counts?.up ?? up.length) - listed.filter((s) => s.ok).length);
  if (notListedDown > 0) lines.push(`:red_circle: … and ${plural(notListedDown, 'more service')} down (see the thread)`);
  if (notListedUp > 0) lines.push(`:large_green_circle: … and ${plural(notListedUp, 'more service')} up`);
  return lines;
}

const section = (text: string) => ({type: 'section', text: {type: 'mrkdwn', text}});
const size = (value: unknown) => JSON.stringify(value).length;

/**
 * Lines grouped into sections that each stay under Slack's limit, within a character budget and a block
 * count; what does not fit is counted on a last line.
 */
export function fitSections(lines: string[], budget: number, maxBlocks: number): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  let current = '';
  let used = 0;
  let placed = 0;
  const reserve = 120; // room for the "… more" line
  for (const line of lines) {
    const clipped = line.length > SECTION_LIMIT ? `${line.slice(0, SECTION_LIMIT - 1)}…` : line;
    const startsBlock = !current || current.length + clipped.length + 1 > SECTION_LIMIT;
    const cost = size(clipped) + (startsBlock ? size(section('')) : 1);
    if (used + cost + reserve > budget || (startsBlock && blocks.length + 1 >= maxBlocks)) break;
    if (startsBlock && current) {
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${clipped}` : clipped;
    used += cost;
    placed++;
  }
  if (placed < lines.length) {
    const more = `… ${plural(lines.length - placed, 'more line')} in the thread`;
    if (current && current.length + more.length + 1 <= SECTION_LIMIT) current = `${current}\n${more}`;
    else {
      if (current) blocks.push(section(current));
      current = more;
    }
  }
  if (current) blocks.push(section(current));
  return blocks;
}

/** The plain-text fallback (notifications, screen readers): escaped too, since Slack parses it as well. */
function fallbackText(entry: Entry): string {
  const summary = entry.summary ? ` (${entry.summary})` : '';
  const raw = `${entry.verb} ${servicesPhrase(entry, false)} by ${whoShort(entry.who)}: ${OUTCOME_WORDS[entry.outcome]}${summary}`;
  return escapeClipped(raw, TEXT_LIMIT);
}

/** The root message: one scannable line, a context line, a plain-text fallback, and the entry as metadata. */
export function rootMessage(entry: Entry): SlackMessage {
  if (entry.verb === 'incident') return incidentRootMessage(entry);
  if (entry.verb === 'silence' && entry.silence) return silenceMessage(entry);
  const head = section(clipMarkup(headline(entry)));
  const context = {type: 'context', elements: contextLine(entry).map((text) => ({type: 'mrkdwn', text}))};
  const blocks: Record<string, unknown>[] = [head];
  const counts = countStatus(entry);
  if (entry.verb === 'status' && counts && (counts.total > 1 || entry.outcome !== 'succeeded')) {
    blocks.push(...fitSections(statusLines(entry), BLOCKS_BUDGET - size(head) - size(context), MAX_BLOCKS - 2));
  }
  if (entry.rollbackTo) blocks.push(rollbackOfferBlock(entry, entry.rollbackTo));
  blocks.push(context);
  return {text: fallbackText(entry), blocks, metadata: {event_type: ENTRY_EVENT, event_payload: entryPayload(entry)}};
}

/** The headline is built from escaped pieces; it is only ever cut, never escaped again. */
function clipMarkup(markup: string): string {
  return markup.length <= SECTION_LIMIT ? markup : `${markup.slice(0, SECTION_LIMIT - 1)}…`;
}

/** The output's tail for the thread, in a code block that fits one section and always closes. */
export function outputMessage(entry: Entry, output: string, withFile: boolean): SlackMessage {
  const fence = '```';
  const tail = escapeTail(output.replaceAll('```', "'''").trimEnd(), TAIL_LIMIT) || '(no output)';
  const note = withFile ? `Last ${formatCount(TAIL_LIMIT)} characters of ${formatBytes(entry.output?.bytes ?? output.length)} of output; the whole output is attached below.` : 'Output:';
  return {
    text: escapeClipped(`Output of ${entry.verb} ${servicesPhrase(entry, false)}`, TEXT_LIMIT),
    blocks: [
      {type: 'context', elements: [{type: 'mrkdwn', text: note}]},
      section(fence + tail + fence),
    ],
    metadata: {event_type: OUTPUT_EVENT, event_payload: {id: entry.id}},
  };
}

export function needsFile(output: string): boolean {
  return output.length > TAIL_LIMIT;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** How many of `entries` (oldest first) one digest can carry within its metadata bound. */
export function digestCapacity(entries: Entry[]): number {
  let used = 60;
  let count = 0;
  for (const entry of entries.slice(0, DIGEST_MAX_ENTRIES)) {
    used += size(digestItem(entry)) + 1;
    if (used > DIGEST_PAYLOAD_LIMIT) break;
    count++;
  }
  return Math.max(1, count);
}

function digestLine(entry: Entry): string {
  const when = entry.startedAt.slice(0, 16).replace('T', ' ');
  const duration = entry.durationMs === undefined ? '' : ` in ${formatDuration(entry.durationMs)}`;
  const ref = refPhrase(entry, 60);
  return `${EMOJI[entry.outcome]} ${when} *${entry.verb}* ${servicesPhrase(entry, true)}${ref} by ${escapeClipped(whoShort(entry.who), 120)}: ${OUTCOME_WORDS[entry.outcome]}${statusPhrase(entry)}${duration} \`${escapeClipped(entry.id, 64)}\``;
}

/**
 * Several entries that waited while the channel was unreachable, in one message: one line each, and each
 * entry in the metadata, so that `foggy log` still reads them back one by one.
 */
export function digestMessage(digestId: string, entries: Entry[]): SlackMessage {
  const first = entries[0].startedAt.slice(0, 16).replace('T', ' ');
  const last = entries.at(-1)!.startedAt.slice(0, 16).replace('T', ' ');
  const head = section(`:inbox_tray: *${plural(entries.length, 'run')}* recorded while the channel could not be reached (${first} – ${last} UTC)`);
  const context = {type: 'context', elements: [{type: 'mrkdwn', text: `Delivered late from the outbox; each run's output stays in its machine's journal. Digest \`${escapeClipped(digestId, 64)}\``}]};
  const blocks = [head, ...fitSections(entries.map(digestLine), BLOCKS_BUDGET - size(head) - size(context), MAX_BLOCKS - 2), context];
  const counts = new Map<Outcome, number>();
  for (const entry of entries) counts.set(entry.outcome, (counts.get(entry.outcome) ?? 0) + 1);
  const tally = [...counts].map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome]}`).join(', ');
  return {
    text: escape(`${entries.length} runs recorded while the channel could not be reached: ${tally}`),
    blocks,
    metadata: {event_type: DIGEST_EVENT, event_payload: {v: 2, digest: digestId, entries: entries.map(digestItem)}},
  };
}
