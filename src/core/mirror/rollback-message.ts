import type {Entry} from '../entry/types.js';
import type {ActionRun} from '../quiet/events.js';
import {formatDuration} from '../text/duration.js';
import {escapeClipped} from './slack-text.js';

/**
 * A deploy's message and the way back: the "Roll back to v2" button on a deploy that failed (or whose service
 * went down after it), the note once it was rolled back, and the rollback's outcome in an open incident's thread.
 */

export const ROLLBACK_ACTION = 'foggy_rollback';
/** The block of the button: replaced, never doubled, when the message is edited again. */
export const ROLLBACK_OFFER_BLOCK = 'foggy_rollback_offer';
export const ROLLED_BACK_BLOCK = 'foggy_rolled_back';

/** What the button carries: the service, the deploy it undoes, and the earlier deploy it goes back to (entry ids). */
export interface RollbackButtonValue {
  service: string;
  of: string;
  to: string;
}

/** Slack's limit on a button's text. */
const BUTTON_TEXT = 75;

export function rollbackOfferBlock(entry: Pick<Entry, 'id' | 'services'>, offer: NonNullable<Entry['rollbackTo']>): Record<string, unknown> {
  const label = `Roll back to ${offer.ref}`;
  return {
    type: 'actions',
    block_id: ROLLBACK_OFFER_BLOCK,
    elements: [
      {
        type: 'button',
        action_id: ROLLBACK_ACTION,
        text: {type: 'plain_text', text: label.length <= BUTTON_TEXT ? label : `${label.slice(0, BUTTON_TEXT - 1)}…`},
        value: JSON.stringify({service: entry.services[0], of: entry.id, to: offer.entry} satisfies RollbackButtonValue),
      },
    ],
  };
}

/** A message's blocks with the offer in place of any earlier one, just before its context line (the last block). */
export function withOffer(blocks: readonly Record<string, unknown>[], offer: Record<string, unknown>): Record<string, unknown>[] {
  const kept = blocks.filter((block) => block.block_id !== ROLLBACK_OFFER_BLOCK);
  const at = kept.length > 0 && kept.at(-1)?.type === 'context' ? kept.length - 1 : kept.length;
  return [...kept.slice(0, at), offer, ...kept.slice(at)];
}

/** A deploy's blocks once a rollback undid it (or tried): no more button, and a line saying by whom, with its link. */
export function withRolledBack(blocks: readonly Record<string, unknown>[], rollback: {by: string; ref?: string; outcome: string; link?: string}): Record<string, unknown>[] {
  const kept = blocks.filter((block) => block.block_id !== ROLLBACK_OFFER_BLOCK && block.block_id !== ROLLED_BACK_BLOCK);
  const to = rollback.ref ? ` to \`${escapeClipped(rollback.ref.replaceAll('`', "'"), 80)}\`` : '';
  const what = rollback.outcome === 'succeeded' ? `Rolled back${to}` : `A rollback${to} ${rollback.outcome.replace('_', ' ')}`;
  const link = rollback.link ? ` (<${rollback.link}|the rollback>)` : '';
  kept.push({type: 'context', block_id: ROLLED_BACK_BLOCK, elements: [{type: 'mrkdwn', text: `:leftwards_arrow_with_hook: ${what} by ${escapeClipped(rollback.by, 100)}${link}`}]});
  return kept;
}

/** In an open incident's thread: a rollback of its service ran, and how it went. */
export function rollbackThreadMessage(run: ActionRun): {text: string; blocks: Record<string, unknown>[]} {
  const ref = run.ref ? ` to \`${escapeClipped(run.ref.replaceAll('`', "'"), 80)}\`` : '';
  const outcome = run.outcome ?? 'unknown';
  const took = run.endedAt === undefined ? '' : ` in ${formatDuration(Math.max(0, run.endedAt - run.startedAt))}`;
  const mark = outcome === 'succeeded' ? ':leftwards_arrow_with_hook:' : ':x:';
  const text = `${mark} *${escapeClipped(run.service, 80)}* rolled back${ref} by ${escapeClipped(run.who, 100)}: *${outcome.replace('_', ' ')}*${took} (entry \`${escapeClipped(run.entry, 64)}\`)`;
  return {text: escapeClipped(`${run.service} rolled back${run.ref ? ` to ${run.ref}` : ''} by ${run.who}: ${outcome}`, 3000), blocks: [{type: 'section', text: {type: 'mrkdwn', text}}]};
}
