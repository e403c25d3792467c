import type {ActionDryRun, LogResult, RollbackPlan, SilenceDryRun, SilenceList, SilenceResult, StatusDryRun, StatusResult} from '../core/app/results.js';
import {formatDuration, formatSpan} from '../core/text/duration.js';
import {whoShort} from '../core/entry/context.js';
import {escape, escapeClipped} from '../core/mirror/slack-text.js';
import {CHAT_GRAMMARS, type ChatCommandVerb} from './grammar.js';
import type {Confirmation} from './memory/confirmations.js';

/**
 * What foggy serve says in Slack, besides the entries the mirror posts: answers only the asker sees,
 * and the confirmation with its buttons. Every piece of text that came from someone (a ref, a reason, a
 * name, the words typed) is escaped, so that nothing in it can ping, link or reformat.
 */

export interface ChatMessage {
  text: string;
  blocks?: Record<string, unknown>[];
  /** An edit of a message that carries an entry: its metadata again, which an update leaves out otherwise. */
  metadata?: {event_type: string; event_payload: Record<string, unknown>};
}

/** Slack's Block Kit limits that these messages come near. */
const SECTION_TEXT = 3000;
const CONTEXT_TEXT = 2000;

export const APPROVE_ACTION = 'foggy_approve';
export const CANCEL_ACTION = 'foggy_cancel';

const section = (text: string) => ({type: 'section', text: {type: 'mrkdwn', text: text.slice(0, SECTION_TEXT)}});
const context = (text: string) => ({type: 'context', elements: [{type: 'mrkdwn', text: text.slice(0, CONTEXT_TEXT)}]});

/** A plain answer: text from outside, escaped whole. */
export function plainAnswer(text: string, hint?: string): ChatMessage {
  const body = escapeClipped(text, SECTION_TEXT - 200) + (hint ? `\n${escapeClipped(hint, 190)}` : '');
  return {text: body, blocks: [section(body)]};
}

/** An answer foggy wrote itself (mrkdwn on purpose), with the outside pieces already escaped by the caller. */
export function markupAnswer(text: string): ChatMessage {
  return {text, blocks: [section(text)]};
}

export function refusalAnswer(input: {verb: string; service?: string; reason: string; mayRun: string}): ChatMessage {
  const what = `${input.verb}${input.service ? ` \`${escapeClipped(input.service, 80)}\`` : ''}`;
  return markupAnswer(`:no_entry: Not allowed: ${what}. ${escapeClipped(input.reason, 600)}.\nWho may: ${input.mayRun}.\nThis refusal is recorded.`);
}

const code = (text: string, limit = 200) => `\`${escapeClipped(text.replaceAll('`', "'"), limit)}\``;

function actionPhrase(c: Pick<Confirmation, 'verb' | 'service' | 'ref' | 'rollback'>): string {
  if (c.verb === 'rollback' && c.ref !== undefined) return `*roll back* ${code(c.service, 80)} from ${c.rollback?.fromRef === undefined ? `entry ${code(c.rollback?.of ?? '?', 64)}` : code(c.rollback.fromRef)} to ${code(c.ref)}`;
  return `*${c.verb}* ${code(c.service, 80)}${c.ref === undefined ? '' : ` at ${code(c.ref)}`}`;
}

function requestLines(c: Confirmation, plan?: ActionDryRun): string {
  const lines = [`${actionPhrase(c)}, asked by <@${c.requester.user}>`];
  if (c.reason) lines.push(`reason: “${escapeClipped(c.reason, 500)}”`);
  if (plan) lines.push(`will run: \`${escapeClipped((plan.shell ? plan.command[2] : plan.command.join(' ')).replaceAll('`', "'"), 600)}\``);
  return lines.join('\n');
}

/** The confirmation: what will run, where, at which ref, asked by whom; approve (primary) or cancel. */
export function confirmationMessage(c: Confirmation, plan: ActionDryRun | undefined, approvers: string): ChatMessage {
  const expires = `<!date^${Math.floor(c.expiresAt / 1000)}^{time}|${new Date(c.expiresAt).toISOString().slice(11, 16)} UTC>`;
  return {
    text: `Approval needed: ${c.verb} ${escapeClipped(c.service, 80)}`,
    blocks: [
      section(`:raised_hand: Approval needed: ${requestLines(c, plan)}`),
      {
        type: 'actions',
        block_id: `foggy_confirm_${c.id}`,
        elements: [
          {type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: c.id, text: {type: 'plain_text', text: `Approve ${c.verb}`.slice(0, 75)}},
          {type: 'button', action_id: CANCEL_ACTION, value: c.id, text: {type: 'plain_text', text: 'Cancel'}},
        ],
      },
      context(`Who may approve: ${approvers}. Open until ${expires}; nothing runs without a click.`),
    ],
  };
}

/** The confirmation once closed: the buttons are gone, and it says who closed it and when. */
export function closedConfirmationMessage(c: Confirmation): ChatMessage {
  const at = c.closedAt === undefined ? '' : ` at <!date^${Math.floor(c.closedAt / 1000)}^{date_short_pretty} {time}|${new Date(c.closedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
  const how =
    c.state === 'approved'
      ? `:white_check_mark: Approved by <@${c.closedBy}>${at}: running; the entry follows.`
      : c.state === 'cancelled'
        ? `:x: Cancelled by <@${c.closedBy}>${at}: nothing ran.`
        : `:hourglass: Expired after ${formatDuration(c.expiresAt - c.createdAt)} without approval: nothing ran.`;
  return {text: `${c.verb} ${escapeClipped(c.service, 80)}: ${c.state}`, blocks: [section(requestLines(c)), context(how)]};
}

/** What a late click is told. */
export function alreadyClosedAnswer(c: Confirmation): ChatMessage {
  const by = c.closedBy ? ` by <@${c.closedBy}>` : '';
  const words = c.state === 'expired' ? 'expired without approval; nothing ran' : `was already ${c.state}${by}`;
  return markupAnswer(`This confirmation (${actionPhrase(c)}) ${words}.`);
}

export function statusAnswer(result: StatusResult | StatusDryRun): ChatMessage {
  if ('dryRun' in result) {
    const lines = result.checks.map(({service, checks}) => `\`${escapeClipped(service, 80)}\`: ${escapeClipped((checks as {type: string; name: string}[]).map((c) => `${c.type} ${c.name}`).join(', ') || 'no checks', 300)}`);
    return markupAnswer(`Dry run: nothing was checked or recorded.\n${lines.slice(0, 30).join('\n')}`);
  }
  const lines = result.services.slice(0, 30).map((s) => `${s.ok ? ':large_green_circle:' : ':red_circle:'} \`${escapeClipped(s.service, 80)}\` ${formatDuration(s.latencyMs)}${s.ok ? '' : ` ${escapeClipped(s.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`).join('; '), 300)}`}`);
  const more = result.services.length > 30 ? `\n… and ${result.services.length - 30} more` : '';
  return markupAnswer(`${lines.join('\n')}${more}${result.permalink ? `\nRecorded: ${result.permalink}` : ''}`);
}

export function dryRunAnswer(plan: ActionDryRun): ChatMessage {
  const command = plan.shell ? plan.command[2] : plan.command.join(' ');
  const rollback = plan.rollback ? `\nwould roll back ${rollbackWords(plan.rollback)}` : '';
  return markupAnswer(`Dry run: nothing was run or recorded.${rollback}\nwould run: \`${escapeClipped(command.replaceAll('`', "'"), 800)}\` (timeout ${formatDuration(plan.timeoutMs)})${plan.confirmation === 'would ask' ? '\nIt would ask for approval first (protected service).' : ''}`);
}

/** "from `v3` (failed, entry `…`) to `v2` (entry `…`, by alice)": what a rollback chose. */
export function rollbackWords(plan: RollbackPlan): string {
  const run = (r: RollbackPlan['of']) => `${r.ref === undefined ? 'a deploy without a ref' : code(r.ref)} (${r.outcome === 'succeeded' ? '' : `${r.outcome.replace('_', ' ')}, `}entry ${code(r.id, 64)}${r.who ? `, by ${escapeClipped(r.who, 80)}` : ''})`;
  return `from ${run(plan.of)} to ${run(plan.to)}`;
}

export function logAnswer(result: LogResult, limit: number): ChatMessage {
  if (result.entries.length === 0) return markupAnswer(`No entries yet in the ${result.source === 'channel' ? 'channel' : 'journal'}.`);
  const shown = result.entries.slice(0, Math.min(limit, 30));
  const lines = shown.map((entry) => {
    const when = `<!date^${Math.floor(Date.parse(entry.startedAt) / 1000)}^{date_short} {time}|${entry.startedAt.slice(0, 16).replace('T', ' ')} UTC>`;
    const duration = entry.durationMs === undefined ? '' : ` in ${formatDuration(entry.durationMs)}`;
    return `\`${escapeClipped(entry.id, 40)}\` ${when} *${entry.verb}* ${escapeClipped(entry.services.join(' '), 120)} by ${escapeClipped(whoShort(entry.who), 80)} (${entry.where.kind}): ${entry.outcome.replace('_', ' ')}${duration}`;
  });
  const more = result.entries.length > shown.length ? `\n… ${result.entries.length - shown.length} more: \`foggy log\` in a shell shows them all.` : '';
  return markupAnswer(`${lines.join('\n')}${more}`);
}

/** /foggy help, from the verbs' grammar: the same words and options as the CLI's. */
export function helpAnswer(command: string, topic?: ChatCommandVerb): ChatMessage {
  const usage: Record<ChatCommandVerb, string> = {status: 'status [SERVICE…]', deploy: 'deploy SERVICE [--ref REF]', restart: 'restart SERVICE', rollback: 'rollback SERVICE [--to REF]', log: 'log [SERVICE]', silence: 'silence [SERVICE… DURATION REASON…]'};
  const summary: Record<ChatCommandVerb, string> = {
    status: 'check whether services are up',
    deploy: "run a service's deploy action",
    restart: "run a service's restart action",
    rollback: 'deploy again the last good version (the last successful deploy before the current one)',
    log: 'the latest recorded runs',
    silence: 'silence services for a while (`silence web 1h db migration`); alone, the silences in force',
  };
  const cmd = escape(command);
  if (!topic) {
    const lines = (Object.keys(usage) as ChatCommandVerb[]).map((verb) => `\`${cmd} ${usage[verb]}\` — ${summary[verb]}`);
    return markupAnswer(`${lines.join('\n')}\n\`${cmd} help VERB\` — a verb's options. The same words and options as the \`foggy\` command; every run is recorded in the channel.`);
  }
  const flags = Object.entries(CHAT_GRAMMARS[topic].flags as Record<string, {description?: string; type: string; char?: string; helpValue?: string}>).map(
    ([name, flag]) => `\`${flag.char ? `-${flag.char}, ` : ''}--${name}${flag.type === 'option' ? ` ${flag.helpValue ?? 'VALUE'}` : ''}\` ${escape(flag.description ?? '')}`,
  );
  return markupAnswer(`\`${cmd} ${usage[topic]}\` — ${summary[topic]}\n${flags.join('\n')}`);
}

/** The silences in force, for the one who asked. */
export function silencesAnswer(result: SilenceList): ChatMessage {
  if (result.silences.length === 0) return markupAnswer('No silence in force: the watcher speaks for every service.');
  const lines = result.silences.slice(0, 30).map((s) => {
    const until = `<!date^${Math.floor(Date.parse(s.until) / 1000)}^{date_short} {time}|${s.until.slice(0, 16).replace('T', ' ')} UTC>`;
    return `:no_bell: ${escapeClipped(s.services.join(', '), 200)} until ${until} by ${escapeClipped(s.who, 80)}: ${escapeClipped(s.reason, 300)} \`${escapeClipped(s.id, 64)}\``;
  });
  return markupAnswer(lines.join('\n'));
}

/** A silence set or ended, for the one who asked (when the channel's message is not where they typed). */
export function silenceAnswer(result: SilenceResult | SilenceDryRun): ChatMessage {
  if ('dryRun' in result) return markupAnswer(`Dry run: nothing was silenced or recorded.\nwould silence ${escapeClipped(result.silence.services.join(', '), 200)} for ${formatSpan(result.silence.leftMs)}: ${escapeClipped(result.silence.reason, 300)}`);
  const {silence} = result;
  const what = silence.ended ? `:bell: ${escapeClipped(silence.services.join(', '), 200)} no longer silenced` : `:no_bell: ${escapeClipped(silence.services.join(', '), 200)} silenced for ${formatSpan(silence.leftMs)}: ${escapeClipped(silence.reason, 300)}`;
  return markupAnswer(`${what} \`${escapeClipped(silence.id, 64)}\`${result.permalink ? `\nRecorded: ${result.permalink}` : ''}`);
}
