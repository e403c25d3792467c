import {randomUUID} from 'node:crypto';
import type {ActionDryRun} from '../core/app/results.js';
import {asFoggyError} from '../core/errors/classify.js';
import type {FoggyError} from '../core/errors/foggy-error.js';
import {sleep} from '../core/platform/sleep.js';
import {ChatRun, type RunContext} from './chat-run.js';
import {ConfirmationFlow} from './confirmation-flow.js';
import {RollbackButtons} from './rollback-buttons.js';
import {SilenceButtons} from './silence-buttons.js';
import {parseChatCommand} from './grammar.js';
import type {Confirmation} from './memory/confirmations.js';
import {helpAnswer, plainAnswer} from './messages.js';
import {chatPhrase} from './phrases.js';
import type {ChatFrontOptions, Click, Reply, ServeEvent, ButtonClick, TypedCommand} from './types.js';
import {decodeEntities} from './words.js';

export type {ChatFrontOptions, ChatPerson, Click, ServeEvent, ButtonClick, SlackSide, TypedCommand} from './types.js';

/**
 * The chat front end: a command typed in Slack becomes the same request a shell's would (same grammar,
 * same use case, same lock, same entry), once each person is authorised by Slack's ids. Each delivery runs
 * once, however often Slack sends it; every failure is answered to the one who asked. Nothing here knows
 * Bolt or Socket Mode: the adapter (bolt-app.ts) hands in plain commands and clicks.
 */
export class ChatFront implements RunContext {
  private readonly running = new Set<Promise<unknown>>();
  private readonly interrupt = new AbortController();
  private readonly confirmations: ConfirmationFlow;
  private readonly silences: SilenceButtons;
  private readonly rollbacks: RollbackButtons;
  private accepting = true;
  private readonly now: () => number;

  constructor(readonly options: ChatFrontOptions) {
    this.now = options.now ?? Date.now;
    this.confirmations = new ConfirmationFlow(this, (work) => this.track(work), () => this.stamp());
    this.silences = new SilenceButtons(this, () => this.stamp());
    this.rollbacks = new RollbackButtons(this, () => this.stamp());
  }

  /** Confirmations left open by an earlier foggy serve expire on time too. */
  async resume(): Promise<void> {
    await this.confirmations.resume();
  }

  /** A typed command: acknowledged by the caller already; runs to its end (tracked, for a graceful stop). */
  command(typed: TypedCommand): Promise<void> {
    return this.track(this.handleCommand(typed));
  }

  click(click: Click): Promise<void> {
    return this.track(this.handleClick(click));
  }

  /** A click on an incident message's silence button. */
  silenceClick(click: ButtonClick): Promise<void> {
    return this.track(this.handleButtonClick(click, 'silence'));
  }

  /** A click on a deploy message's "Roll back to …" button. */
  rollbackClick(click: ButtonClick): Promise<void> {
    return this.track(this.handleButtonClick(click, 'rollback'));
  }

  /**
   * Stops taking commands, lets running ones finish within the grace period, then interrupts them (their
   * use cases stop their children and record the interruption) and waits for them to be recorded.
   */
  async stop(graceMs: number): Promise<{interrupted: boolean}> {
    this.accepting = false;
    this.confirmations.stop();
    const settled = Promise.allSettled([...this.running]);
    const finished = await Promise.race([settled.then(() => true), sleep(graceMs, undefined, {unref: true}).then(() => false)]);
    if (finished) return {interrupted: false};
    this.interrupt.abort(new Error('foggy serve is stopping'));
    await settled;
    return {interrupted: true};
  }

  /** A second stop signal: no more grace. */
  hurry(): void {
    this.interrupt.abort(new Error('foggy serve is stopping'));
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** For a run: the abort signal of a stop past its grace period. */
  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  newConfirmationId(): string {
    return randomUUID();
  }

  openConfirmation(c: Confirmation, plan: ActionDryRun | undefined, approvers: string, fallbackChannel: string | undefined): Promise<Confirmation> {
    return this.confirmations.open(c, plan, approvers, fallbackChannel);
  }

  /**
   * A failure answered to the person in chat's words, so no one is left without an answer: the core's errors
   * as phrased, the environment's (a full disk) naming the path, anything else as a bug, its stack in the log.
   */
  async answerFailure(error: unknown, prefix: string, reply: Reply): Promise<FoggyError> {
    const failure = asFoggyError(error, this.options.places);
    if (failure.kind === 'internal') this.options.log({at: this.stamp(), kind: 'command', outcome: 'internal error', detail: (error as Error)?.stack ?? String(error)});
    const {message, hint} = chatPhrase(failure, prefix);
    await reply(plainAnswer(message, hint)).catch(() => {});
    return failure;
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) => this.options.log({at: this.stamp(), kind: 'command', outcome: 'internal error', detail: (error as Error)?.stack ?? String(error)}));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
    return tracked;
  }

  /**
   * A delivery not seen before (by this server, or any of the team's when they share a database). When that
   * cannot be known (the database is away), nothing runs: running twice is worse than asking again.
   */
  private async firstTime(ids: string[], channel: string, user: string, responseUrl?: string): Promise<'new' | 'seen' | 'unknown'> {
    try {
      return (await this.options.seen.firstTime(ids)) ? 'new' : 'seen';
    } catch (error) {
      this.options.log({at: this.stamp(), kind: 'command', user, channel, outcome: 'not taken', detail: (error as Error).message});
      await this.options.slack.ephemeral({channel, user, responseUrl}, plainAnswer('foggy serve cannot tell whether this already ran (its team database is not answering); nothing ran. Try again in a moment.'));
      return 'unknown';
    }
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }

  private async handleCommand(typed: TypedCommand): Promise<void> {
    const started = this.now();
    // The words as the person typed them (Slack sends &, < and > escaped); the mirror escapes them again.
    const commandLine = `${typed.prefix} ${decodeEntities(typed.text.trim())}`.trim();
    const base = {user: typed.person.user, name: typed.person.name, team: typed.person.team, channel: typed.channel, command: commandLine};
    const done = (outcome: string, extra: Partial<ServeEvent> = {}) => this.options.log({at: this.stamp(), kind: 'command', ...base, outcome, durationMs: this.now() - started, ...extra});
    const delivery = await this.firstTime(typed.ids, typed.channel, typed.person.user, typed.responseUrl);
    if (delivery === 'unknown') return;
    if (delivery === 'seen') {
      this.options.log({at: this.stamp(), kind: 'duplicate', ...base, outcome: 'ignored', detail: `redelivered (${typed.ids.join(', ')}): it ran once already`});
      return;
    }
    const reply: Reply = (message) => this.options.slack.ephemeral({channel: typed.channel, user: typed.person.user, responseUrl: typed.responseUrl}, message);
    if (!this.accepting) {
      await reply(plainAnswer('foggy serve is restarting; nothing ran. Try again in a moment.'));
      return done('not taken: stopping');
    }
    const parsed = await parseChatCommand(typed.text);
    if (!parsed.ok) {
      await reply(plainAnswer(parsed.problem, parsed.hint));
      return done('bad input', {detail: parsed.problem});
    }
    const {command} = parsed;
    if (command.verb === 'help') {
      await reply(helpAnswer(typed.prefix, command.topic));
      return done('answered');
    }
    const run = new ChatRun(this, typed, commandLine, reply);
    try {
      const outcome = await run.execute(command);
      done(outcome.outcome, {entry: outcome.entry});
    } catch (error) {
      const failure = await this.answerFailure(error, typed.prefix, reply);
      done(failure.kind === 'refused' || failure.kind === 'interrupted' ? failure.kind : 'error', {detail: failure.message});
    }
  }

  private async handleClick(click: Click): Promise<void> {
    const started = this.now();
    const delivery = await this.firstTime(click.ids, click.channel, click.person.user, click.responseUrl);
    if (delivery === 'unknown') return;
    if (delivery === 'seen') {
      this.options.log({at: this.stamp(), kind: 'duplicate', user: click.person.user, name: click.person.name, team: click.person.team, channel: click.channel, command: `${click.action} ${click.confirmation}`, outcome: 'ignored', detail: 'redelivered click'});
      return;
    }
    await this.confirmations.click(click, this.accepting, started);
  }

  private async handleButtonClick(click: ButtonClick, what: 'silence' | 'rollback'): Promise<void> {
    const started = this.now();
    const delivery = await this.firstTime(click.ids, click.channel, click.person.user, click.responseUrl);
    if (delivery === 'unknown') return;
    if (delivery === 'seen') {
      this.options.log({at: this.stamp(), kind: 'duplicate', user: click.person.user, name: click.person.name, team: click.person.team, channel: click.channel, command: `${what} (button)`, outcome: 'ignored', detail: 'redelivered click'});
      return;
    }
    if (!this.accepting) {
      await this.options.slack.ephemeral({channel: click.channel, user: click.person.user, responseUrl: click.responseUrl}, plainAnswer(`foggy serve is restarting; nothing was ${what === 'silence' ? 'silenced' : 'rolled back'}. Click again in a moment.`));
      return;
    }
    await (what === 'silence' ? this.silences.click(click, started) : this.rollbacks.click(click, started));
  }

}
