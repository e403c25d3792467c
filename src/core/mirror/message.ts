import {formatDuration} from '../duration.js';
import type {Entry, Outcome} from '../entry/types.js';

/** The metadata event types foggy puts on its messages, so entries can be read back without parsing prose. */
export const ENTRY_EVENT = 'foggy_entry';
export const OUTPUT_EVENT = 'foggy_output';

// Slack's limits (https://api.slack.com/reference/block-kit/blocks): section text ≤ 3000 chars, ≤ 50 blocks.
const SECTION_LIMIT = 3000;
const TAIL_LIMIT = 2800;
const MAX_BLOCKS = 40;
const METADATA_LIMIT = 8000;

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
  metadata: {event_type: string; event_payload: Record<string, unknown>};
}

const EMOJI: Record<Outcome, string> = {
  running: ':hourglass_flowing_sand:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  timed_out: ':alarm_clock:',
  refused: ':no_entry:',
  interrupted: ':octagonal_sign:',
  unknown: ':grey_question:',
};

const OUTCOME_WORDS: Record<Outcome, string> = {
  running: 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed out',
  refused: 'refused',
  interrupted: 'interrupted',
  unknown: 'outcome unknown: process ended',
};

/** mrkdwn treats &, < and > as markup. */
export function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function where(entry: Entry): string {
  return entry.where.kind === 'ci' ? (entry.where.ci?.name ?? 'CI') : 'a terminal';
}

function headline(entry: Entry): string {
  const verb = entry.verb === 'status' && entry.outcome !== 'running' ? 'status' : entry.verb;
  const services = entry.services.length > 0 ? entry.services.map((s) => `\`${s}\``).join(' ') : '(no services)';
  const outcome = OUTCOME_WORDS[entry.outcome];
  const duration = entry.durationMs === undefined ? '' : ` in ${formatDuration(entry.durationMs)}`;
  const ref = entry.args.ref ? ` \`${escape(clip(entry.args.ref, 80))}\`` : '';
  return `${EMOJI[entry.outcome]} *${verb}* ${services}${ref} by *${escape(entry.who.slackUser ? `<@${entry.who.slackUser}>` : entry.who.user)}* from ${escape(where(entry))}: *${outcome}*${duration}`;
}

function contextLine(entry: Entry): string[] {
  const parts = [`${escape(entry.who.user)}@${escape(entry.who.host)}`];
  if (entry.where.ci) parts.push(entry.where.ci.url ? `<${entry.where.ci.url}|${escape(entry.where.ci.name)} job>` : escape(entry.where.ci.name));
  if (entry.where.repository || entry.where.commit) {
    const repo = entry.where.repository ? escape(entry.where.repository.replace(/\.git$/, '').replace(/^.*[/:]([^/:]+\/[^/:]+)$/, '$1')) : 'repo';
    parts.push(`${repo}${entry.where.commit ? `@${entry.where.commit.slice(0, 7)}` : ''}`);
  }
  if (entry.reason) parts.push(`reason: “${escape(clip(entry.reason, 300))}”`);
  if (entry.summary && entry.verb !== 'status') parts.push(escape(clip(entry.summary, 300)));
  parts.push(`\`${entry.id}\``);
  return parts;
}

function statusLines(entry: Entry): string[] {
  return (entry.status ?? []).map((service) => {
    const failed = service.checks.filter((check) => !check.ok);
    const detail = failed.length === 0 ? `${service.checks.length} check${service.checks.length === 1 ? '' : 's'} passed` : failed.map((c) => `${c.name}: ${c.detail}`).join('; ');
    return `${service.ok ? ':large_green_circle:' : ':red_circle:'} *${service.service}* ${formatDuration(service.latencyMs)} ${escape(clip(detail, 400))}`;
  });
}

/** Groups lines into section blocks that each stay under Slack's per-section limit. */
function sections(lines: string[]): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > SECTION_LIMIT) {
      blocks.push({type: 'section', text: {type: 'mrkdwn', text: current}});
      current = '';
    }
    current = current ? `${current}\n${line}` : clip(line, SECTION_LIMIT);
  }
  if (current) blocks.push({type: 'section', text: {type: 'mrkdwn', text: current}});
  if (blocks.length > MAX_BLOCKS) {
    const dropped = blocks.length - MAX_BLOCKS;
    blocks.splice(MAX_BLOCKS, dropped, {type: 'section', text: {type: 'mrkdwn', text: `… and ${dropped} more sections`}});
  }
  return blocks;
}

/** The entry as metadata: everything but bulky check details when it would grow too large. */
export function entryPayload(entry: Entry): Record<string, unknown> {
  const payload = {...entry} as Record<string, unknown>;
  if (JSON.stringify(payload).length > METADATA_LIMIT && entry.status) {
    payload.status = entry.status.map(({service, ok, latencyMs}) => ({service, ok, latencyMs}));
  }
  return payload;
}

/** The root message: one scannable line, a context line, a plain-text fallback, and the entry as metadata. */
export function rootMessage(entry: Entry): SlackMessage {
  const blocks: Record<string, unknown>[] = [{type: 'section', text: {type: 'mrkdwn', text: clip(headline(entry), SECTION_LIMIT)}}];
  if (entry.verb === 'status' && entry.status && (entry.status.length > 1 || entry.outcome !== 'succeeded')) blocks.push(...sections(statusLines(entry)));
  blocks.push({type: 'context', elements: contextLine(entry).map((text) => ({type: 'mrkdwn', text: clip(text, SECTION_LIMIT)}))});
  const text = `${entry.verb} ${entry.services.join(' ')} by ${entry.who.user}@${entry.who.host}: ${OUTCOME_WORDS[entry.outcome]}${entry.summary ? ` (${clip(entry.summary, 500)})` : ''}`;
  return {text, blocks, metadata: {event_type: ENTRY_EVENT, event_payload: entryPayload(entry)}};
}

/** The output's tail for the thread, in a code block that fits one section. */
export function outputMessage(entry: Entry, output: string, withFile: boolean): SlackMessage {
  const tail = output.length > TAIL_LIMIT ? `…${output.slice(-TAIL_LIMIT)}` : output;
  const safe = escape(tail.replaceAll('```', "'''")).trimEnd() || '(no output)';
  const note = withFile ? `Last ${TAIL_LIMIT} characters of ${formatBytes(entry.output?.bytes ?? output.length)} of output; the whole output is attached below.` : 'Output:';
  return {
    text: `Output of ${entry.verb} ${entry.services.join(' ')}`,
    blocks: [
      {type: 'context', elements: [{type: 'mrkdwn', text: note}]},
      {type: 'section', text: {type: 'mrkdwn', text: clip('```' + safe + '```', SECTION_LIMIT)}},
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
