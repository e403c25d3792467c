import type {ActionDryRun} from '../core/app/results.js';
import {findService} from '../core/catalog/lookup.js';
import type {Service} from '../core/catalog/types.js';
import {mayApprove} from './authorize.js';
import {ChatRun, type RunContext} from './chat-run.js';
import type {Confirmation} from './memory/confirmations.js';
import {alreadyClosedAnswer, closedConfirmationMessage, confirmationMessage, plainAnswer} from './messages.js';
import type {Click, Reply, ServeEvent, TypedCommand} from './types.js';

/**
 * A deploy or restart from chat that needs a click: posted with its buttons, re-authorised at the click,
 * single-use (the first valid click closes it, in this process or across the team's servers), expiring on
 * time, and its message updated to say who approved or cancelled it.
 */
export class ConfirmationFlow {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly context: RunContext,
    /** Work the server tracks until it ends (for a graceful stop). */
    private readonly track: (work: Promise<void>) => Promise<void>,
    private readonly stamp: () => string,
  ) {}

  private get options() {
    return this.context.options;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Confirmations left open by an earlier foggy serve expire on time too. */
  async resume(): Promise<void> {
    for (const confirmation of await this.options.confirmations.open()) this.scheduleExpiry(confirmation);
  }

  /** No more expiries: the server is stopping (open confirmations stay open for the next one). */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  /** Posts a confirmation and starts its clock. Saved before it is posted: a click may come back before the post's answer does. */
  async open(c: Confirmation, plan: ActionDryRun | undefined, approvers: string, fallbackChannel: string | undefined): Promise<Confirmation> {
    await this.options.confirmations.save(c);
    const message = confirmationMessage(c, plan, approvers);
    let posted: {channel: string; ts: string};
    try {
      posted = await this.options.slack.post(c.typedIn.channel.startsWith('D') && fallbackChannel ? fallbackChannel : c.typedIn.channel, message);
    } catch (error) {
      // Typed where the bot is not (a channel it was not invited to): the confirmation goes where the entry would.
      if (!fallbackChannel) throw error;
      posted = await this.options.slack.post(fallbackChannel, message);
    }
    // Only where its message is is added: a click may have closed it meanwhile.
    await this.options.confirmations.setMessage(c.id, posted);
    const saved = {...c, message: posted};
    this.scheduleExpiry(saved);
    return saved;
  }

  /** A click on approve or cancel, already known to be its first delivery. */
  async click(click: Click, accepting: boolean, started: number): Promise<void> {
    const {confirmations} = this.options;
    const base = {user: click.person.user, name: click.person.name, team: click.person.team, channel: click.channel, command: `${click.action} ${click.confirmation}`};
    const confirmation = await confirmations.get(click.confirmation);
    if (confirmation) base.command = `${click.action} ${confirmation.verb} ${confirmation.service}`;
    const done = (outcome: string, extra: Partial<ServeEvent> = {}) => this.options.log({at: this.stamp(), kind: 'click', ...base, outcome, durationMs: this.now() - started, ...extra});
    const reply: Reply = (message) => this.options.slack.ephemeral({channel: click.channel, user: click.person.user, responseUrl: click.responseUrl}, message);
    if (!confirmation) {
      await reply(plainAnswer('This confirmation is not known to foggy serve (it may be older than a day); nothing ran. Ask again.'));
      return done('unknown confirmation');
    }
    if (confirmation.state !== 'open') {
      await reply(alreadyClosedAnswer(confirmation));
      return done(`already ${confirmation.state}`);
    }
    if (this.now() >= confirmation.expiresAt) {
      await this.expire(confirmation.id);
      await reply(alreadyClosedAnswer({...confirmation, state: 'expired'}));
      return done('expired');
    }
    if (!accepting && click.action === 'approve') {
      await reply(plainAnswer('foggy serve is restarting; nothing ran. The confirmation stays open: click again in a moment.'));
      return done('not taken: stopping');
    }
    const catalog = this.options.catalog();
    let service: Service;
    try {
      service = findService(catalog, confirmation.service);
    } catch (error) {
      await reply(plainAnswer(`${(error as Error).message} (foggy.yml changed since it was asked); nothing ran.`));
      return done('error', {detail: (error as Error).message});
    }
    const decision = await mayApprove({catalog, verb: confirmation.verb, service, person: click.person, requester: confirmation.requester.user, appTeam: this.options.appTeam, members: this.options.members, cancelling: click.action === 'cancel'});
    if (!decision.allowed) {
      const run = this.clickRun(click, confirmation, reply);
      const entry = await run.refuse(confirmation.verb, [service], decision, confirmation.ref, `${click.action === 'approve' ? 'approval' : 'cancelling'} refused: ${decision.reason}`);
      return done('refused', {entry, detail: decision.reason});
    }
    // The first valid click wins (one conditional update, in this process or across servers): a second finds it closed.
    const closed = await confirmations.close(confirmation.id, click.action === 'approve' ? 'approved' : 'cancelled', click.person.user, this.now());
    if (!closed) {
      await reply(alreadyClosedAnswer((await confirmations.get(confirmation.id))!));
      return done('already closed');
    }
    this.clearExpiry(closed.id);
    await this.updateMessage({...closed, message: closed.message ?? click.message});
    const run = this.requesterRun(closed, reply);
    if (closed.state === 'cancelled') {
      const entry = await run.refuseQuietly(closed, `cancelled by ${click.person.name ?? click.person.user} (${click.person.user}) before it ran`);
      return done('cancelled', {entry});
    }
    const outcome = await run.approved(closed, click.person.user);
    done(outcome.outcome, {entry: outcome.entry});
  }

  /** The run as the requester's (their entry), answering whoever clicked. */
  private requesterRun(c: Confirmation, reply: Reply): ChatRun {
    const typed: TypedCommand = {ids: [], person: c.requester, channel: c.typedIn.channel, prefix: '', text: '', responseUrl: undefined};
    return new ChatRun(this.context, typed, c.commandLine, reply);
  }

  private clickRun(click: Click, c: Confirmation, reply: Reply): ChatRun {
    const typed: TypedCommand = {ids: click.ids, person: click.person, channel: click.channel, prefix: '', text: '', responseUrl: click.responseUrl};
    return new ChatRun(this.context, typed, `${click.action} ${c.commandLine}`, reply);
  }

  private scheduleExpiry(c: Confirmation): void {
    const timer = setTimeout(() => void this.track(this.expireAndRecord(c.id)), Math.max(0, c.expiresAt - this.now()));
    timer.unref();
    this.timers.set(c.id, timer);
  }

  private clearExpiry(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private async expire(id: string): Promise<Confirmation | undefined> {
    const closed = await this.options.confirmations.close(id, 'expired', undefined, this.now());
    if (!closed) return undefined;
    this.clearExpiry(id);
    await this.updateMessage(closed);
    return closed;
  }

  /** On time, without a click: the message says so, and the request is recorded as refused. */
  private async expireAndRecord(id: string): Promise<void> {
    const closed = await this.expire(id);
    if (!closed) return;
    const run = this.requesterRun(closed, async () => {});
    const entry = await run.refuseQuietly(closed, 'not approved in time: the confirmation expired');
    this.options.log({at: this.stamp(), kind: 'expired', user: closed.requester.user, name: closed.requester.name, team: closed.requester.team, channel: closed.typedIn.channel, command: closed.commandLine, outcome: 'expired', entry});
  }

  private async updateMessage(c: Confirmation): Promise<void> {
    if (!c.message) return;
    try {
      await this.options.slack.update(c.message, closedConfirmationMessage(c));
    } catch (error) {
      this.options.log({at: this.stamp(), kind: 'click', outcome: 'could not update the confirmation', detail: (error as Error).message});
    }
  }
}
