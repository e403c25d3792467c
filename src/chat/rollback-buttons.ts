import {findService} from '../core/catalog/lookup.js';
import type {Service} from '../core/catalog/types.js';
import {ROLLBACK_OFFER_BLOCK, type RollbackButtonValue} from '../core/mirror/rollback-message.js';
import {mayRun} from './authorize.js';
import {entryMetadataOf} from './entry-metadata.js';
import {ChatRun} from './chat-run.js';
import {plainAnswer} from './messages.js';
import {MessageButtons} from './button-click.js';
import type {ButtonClick, TypedCommand} from './types.js';

const ENTRY_ID = /^[\w-]{1,64}$/;

/**
 * "Roll back to v2" on a deploy's message: a click rolls the service back to that deploy, as `/foggy rollback`
 * would, once the clicker is authorised by the rule for rollback (re-read at the click; by default the service's
 * deploy rule), with the service's approvers honoured. A button rolls back once: the deploy it undoes must still
 * be the current one (a second click, by anyone, is told it was rolled back already), and the lock keeps two at
 * once from both running.
 */
export class RollbackButtons extends MessageButtons {
  /** Deploys a click is rolling back right now, on this server: a second click meanwhile waits for nothing. */
  private readonly inFlight = new Set<string>();

  override async click(click: ButtonClick, started: number): Promise<void> {
    const value = parseValue(click.value);
    const {reply, done} = this.answers(click, value ? `rollback ${value.service} (button, undoing ${value.of})` : 'rollback (button)', started);
    if (!value) {
      await reply(plainAnswer('This button is not one foggy posted; nothing was rolled back.'));
      return done('bad input');
    }
    let service: Service;
    try {
      service = findService(this.options.catalog(), value.service);
    } catch (error) {
      await reply(plainAnswer(`${(error as Error).message} (foggy.yml changed since the deploy); nothing was rolled back.`));
      return done('error', {detail: (error as Error).message});
    }
    const catalog = this.options.catalog();
    const run = new ChatRun(this.context, {ids: click.ids, person: click.person, channel: click.channel, prefix: '', text: '', responseUrl: click.responseUrl} satisfies TypedCommand, `rollback ${service.name} (from the message of ${value.of})`, reply);
    const decision = await mayRun({catalog, verb: 'rollback', services: [service], person: click.person, appTeam: this.options.appTeam, members: this.options.members});
    if (!decision.allowed) {
      const entry = await run.refuse('rollback', [service], decision, undefined, `rollback from the deploy's message refused: ${decision.reason}`);
      return done('refused', {entry, detail: decision.reason});
    }
    if (this.inFlight.has(value.of) || (click.message && !click.message.blocks?.some((block) => block.block_id === ROLLBACK_OFFER_BLOCK) && click.message.blocks !== undefined)) {
      await reply(plainAnswer('This rollback was already asked for from this message; nothing more was run.'));
      return done('already asked');
    }
    this.inFlight.add(value.of);
    try {
      if (click.message) await this.markAsked(click);
      const result = await run.rollbackFromMessage(service, {of: value.of, to: value.to});
      return done(result.outcome, result.entry ? {entry: result.entry} : {});
    } finally {
      this.inFlight.delete(value.of);
    }
  }

  /** The button gives way to who asked, so that nobody clicks it again while the rollback runs. */
  private async markAsked(click: ButtonClick): Promise<void> {
    const message = click.message!;
    const blocks = (message.blocks ?? []).map((block) =>
      block.block_id === ROLLBACK_OFFER_BLOCK ? {type: 'context', block_id: ROLLBACK_OFFER_BLOCK, elements: [{type: 'mrkdwn', text: `:leftwards_arrow_with_hook: rollback asked for by <@${click.person.user}>`}]} : block,
    );
    try {
      const metadata = await entryMetadataOf(this.options.slack, message);
      await this.options.slack.update(message, {text: message.text ?? '', blocks, ...(metadata ? {metadata} : {})});
    } catch (error) {
      this.options.log({at: this.stamp(), kind: 'click', outcome: 'could not update the deploy message', detail: (error as Error).message});
    }
  }
}

function parseValue(text: string): RollbackButtonValue | undefined {
  try {
    const value = JSON.parse(text) as Partial<RollbackButtonValue>;
    if (typeof value.service === 'string' && typeof value.of === 'string' && ENTRY_ID.test(value.of) && typeof value.to === 'string' && ENTRY_ID.test(value.to)) return {service: value.service, of: value.of, to: value.to};
  } catch {
    // Not JSON: not foggy's.
  }
  return undefined;
}
