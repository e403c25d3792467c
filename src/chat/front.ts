import {randomUUID} from 'node:crypto';
import type {Foggy} from '../core/app/foggy.js';
import type {ActionDryRun, ActionResult, StatusDryRun, StatusResult} from '../core/app/results.js';
import {findService} from '../core/catalog/lookup.js';
import type {ActionVerb, Catalog, ChatVerb, Service} from '../core/catalog/types.js';
import type {Where, Who} from '../core/entry/types.js';
import {FoggyError, internalFailure} from '../core/errors/foggy-error.js';
import {environmentFailure} from '../core/errors/environment.js';
import {escape} from '../core/mirror/slack-text.js';
import {ExitCode} from '../cli/exit-codes.js';
import {actionRequest, logRequest, statusRequest, type FrontEnd} from '../grammar/verbs.js';
import {describeRule, mayApprove, mayRun, type Decision, type GroupMembers, type Person} from './authorize.js';
import {parseChatCommand, type ChatCommand} from './grammar.js';
import type {Confirmation} from './memory/confirmations.js';
import type {ConfirmationStore, TriggerMemory} from './memory/memory.js';
import {
  alreadyClosedAnswer,
  closedConfirmationMessage,
  confirmationMessage,
  dryRunAnswer,
  helpAnswer,
  logAnswer,
  markupAnswer,
  plainAnswer,
  refusalAnswer,
  statusAnswer,
  type ChatMessage,
} from './messages.js';
import {chatPhrase} from './phrases.js';
import {decodeEntities} from './words.js';

/** Someone in Slack, by the ids Slack sends; the name is for reading only. */
export interface ChatPerson extends Person {
  name?: string;
}

/** A command typed in Slack: after the slash command, or after a mention of the bot. */
export interface TypedCommand {
  /** The delivery's ids (Socket Mode envelope, Events API event): a second delivery of one is dropped. */
  ids: string[];
  person: ChatPerson;
  channel: string;
  /** How it was typed, for the entry's command line: "/foggy" or "@foggy". */
  prefix: string;
  text: string;
  responseUrl?: string;
}

/** A click on a confirmation's button. */
export interface Click {
  ids: string[];
  person: ChatPerson;
  action: 'approve' | 'cancel';
  confirmation: string;
  channel: string;
  responseUrl?: string;
  /** The message clicked on (its buttons): the confirmation's, as Slack says. */
  message?: {channel: string; ts: string};
}

/** What foggy serve does in Slack besides the entries: the Web API calls of its own. */
export interface SlackSide {
  ephemeral(target: {channel: string; user: string; responseUrl?: string}, message: ChatMessage): Promise<void>;
  post(channel: string, message: ChatMessage): Promise<{channel: string; ts: string}>;
  update(target: {channel: string; ts: string}, message: ChatMessage): Promise<void>;
}

/** One line of foggy serve's log per command or click. */
export interface ServeEvent {
  at: string;
  kind: 'command' | 'click' | 'duplicate' | 'expired';
  user?: string;
  name?: string;
  team?: string;
  channel?: string;
  command?: string;
  outcome: string;
  entry?: string;
  durationMs?: number;
  detail?: string;
}

export interface ChatFrontOptions {
  /** The workspace the app is installed in: people from elsewhere are refused. */
  appTeam: string;
  /** The catalog foggy serve holds (reloaded on SIGHUP). */
  catalog: () => Catalog;
  /** The use cases, as run by this person from this place. */
  foggyFor(who: Who, signal: AbortSignal): Foggy;
  slack: SlackSide;
  members: GroupMembers;
  seen: TriggerMemory;
  confirmations: ConfirmationStore;
  log(event: ServeEvent): void;
  now?: () => number;
  host: string;
  /** foggy's directories, to say which one a file-system failure (a full disk, a read-only mount) is in. */
  places: {state: string; config: string; cache: string; temp: string};
}

/**
 * The chat front end: a command typed in Slack becomes the same request a shell's would (same grammar,
 * same use case, same lock, same entry), once each person is authorised by Slack's ids. Nothing here
 * knows Bolt or Socket Mode: the adapter (bolt-app.ts) hands in plain commands and clicks.
 */
export class ChatFront {
  private readonly running = new Set<Promise<unknown>>();
  private readonly interrupt = new AbortController();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private accepting = true;
  private readonly now: () => number;

  constructor(private readonly options: ChatFrontOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Confirmations left open by an earlier foggy serve expire on time too. */
  async resume(): Promise<void> {
    for (const confirmation of await this.options.confirmations.open()) this.scheduleExpiry(confirmation);
  }

  /** A typed command: acknowledged by the caller already; runs to its end (tracked, for a graceful stop). */
  command(typed: TypedCommand): Promise<void> {
    return this.track(this.handleCommand(typed));
  }

  click(click: Click): Promise<void> {
    return this.track(this.handleClick(click));
  }

  /**
   * Stops taking commands, lets running ones finish within the grace period, then interrupts them (their
   * use cases stop their children and record the interruption) and waits for them to be recorded.
   */
  async stop(graceMs: number): Promise<{interrupted: boolean}> {
    this.accepting = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    const settled = Promise.allSettled([...this.running]);
    const finished = await Promise.race([settled.then(() => true), sleepUnref(graceMs).then(() => false)]);
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
    const reply = (message: ChatMessage) => this.options.slack.ephemeral({channel: typed.channel, user: typed.person.user, responseUrl: typed.responseUrl}, message);
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
    const run = new ChatRun(this, this.options, typed, commandLine, reply);
    try {
      const outcome = await run.execute(command);
      done(outcome.outcome, {entry: outcome.entry});
    } catch (error) {
      const failure = await this.answerFailure(error, typed.prefix, reply);
      done(failure.exitCode === ExitCode.refused ? 'refused' : failure.exitCode === ExitCode.interrupted ? 'interrupted' : 'error', {detail: failure.message});
    }
  }

  /**
   * A failure answered to the person in chat's words, so no one is left without an answer: the core's errors
   * as phrased, the environment's (a full disk) naming the path, anything else as a bug, its stack in the log.
   */
  async answerFailure(error: unknown, prefix: string, reply: (message: ChatMessage) => Promise<void>): Promise<FoggyError> {
    const known = error instanceof FoggyError ? error : environmentFailure(error, this.options.places);
    if (known) {
      const {message, hint} = chatPhrase(known, prefix);
      await reply(plainAnswer(message, hint));
      return known;
    }
    const failure = internalFailure(error);
    this.options.log({at: this.stamp(), kind: 'command', outcome: 'internal error', detail: (error as Error)?.stack ?? String(error)});
    await reply(plainAnswer(failure.message, 'This is a bug in foggy: its log has the details. Whether the action ran, `/foggy log` and the channel say.')).catch(() => {});
    return failure;
  }

  private async handleClick(click: Click): Promise<void> {
    const started = this.now();
    const {confirmations} = this.options;
    const base = {user: click.person.user, name: click.person.name, team: click.person.team, channel: click.channel, command: `${click.action} ${click.confirmation}`};
    const delivery = await this.firstTime(click.ids, click.channel, click.person.user, click.responseUrl);
    if (delivery === 'unknown') return;
    if (delivery === 'seen') {
      this.options.log({at: this.stamp(), kind: 'duplicate', ...base, outcome: 'ignored', detail: 'redelivered click'});
      return;
    }
    const confirmation = await confirmations.get(click.confirmation);
    if (confirmation) base.command = `${click.action} ${confirmation.verb} ${confirmation.service}`;
    const done = (outcome: string, extra: Partial<ServeEvent> = {}) => this.options.log({at: this.stamp(), kind: 'click', ...base, outcome, durationMs: this.now() - started, ...extra});
    const reply = (message: ChatMessage) => this.options.slack.ephemeral({channel: click.channel, user: click.person.user, responseUrl: click.responseUrl}, message);
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
    if (!this.accepting && click.action === 'approve') {
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
    await this.updateConfirmation({...closed, message: closed.message ?? click.message});
    if (closed.state === 'cancelled') {
      const run = this.requesterRun(closed, reply);
      const entry = await run.refuseQuietly(closed, `cancelled by ${click.person.name ?? click.person.user} (${click.person.user}) before it ran`);
      return done('cancelled', {entry});
    }
    const run = this.requesterRun(closed, reply);
    const outcome = await run.approved(closed, click.person.user);
    done(outcome.outcome, {entry: outcome.entry});
  }

  /** The run as the requester's (their entry), answering whoever clicked. */
  private requesterRun(c: Confirmation, reply: (message: ChatMessage) => Promise<void>): ChatRun {
    const typed: TypedCommand = {ids: [], person: c.requester, channel: c.typedIn.channel, prefix: '', text: '', responseUrl: undefined};
    return new ChatRun(this, this.options, typed, c.commandLine, reply);
  }

  private clickRun(click: Click, c: Confirmation, reply: (message: ChatMessage) => Promise<void>): ChatRun {
    const typed: TypedCommand = {ids: click.ids, person: click.person, channel: click.channel, prefix: '', text: '', responseUrl: click.responseUrl};
    return new ChatRun(this, this.options, typed, `${click.action} ${c.commandLine}`, reply);
  }

  /**
   * Posts a confirmation and starts its clock. Saved before it is posted: a click may come back before the
   * post's answer does.
   */
  async openConfirmation(c: Confirmation, plan: ActionDryRun | undefined, approvers: string, fallbackChannel: string | undefined): Promise<Confirmation> {
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
    await this.updateConfirmation(closed);
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

  private async updateConfirmation(c: Confirmation): Promise<void> {
    if (!c.message) return;
    try {
      await this.options.slack.update(c.message, closedConfirmationMessage(c));
    } catch (error) {
      this.options.log({at: this.stamp(), kind: 'click', outcome: 'could not update the confirmation', detail: (error as Error).message});
    }
  }

  /** For a run: the abort signal of a stop past its grace period. */
  get signal(): AbortSignal {
    return this.interrupt.signal;
  }

  newConfirmationId(): string {
    return randomUUID();
  }
}

/** One command from one person: authorised, then the use case, then the answer. */
class ChatRun {
  private readonly who: Who;
  private readonly where: Where;

  constructor(
    private readonly front: ChatFront,
    private readonly options: ChatFrontOptions,
    private readonly typed: TypedCommand,
    private readonly commandLine: string,
    private readonly reply: (message: ChatMessage) => Promise<void>,
  ) {
    const {person} = typed;
    this.who = {user: person.user, host: options.host, slackUser: person.user, ...(person.name ? {name: person.name} : {})};
    this.where = {kind: 'chat', cwd: options.catalog().dir, chat: {channel: typed.channel, team: person.team}};
  }

  private get foggy(): Foggy {
    return this.options.foggyFor(this.who, this.front.signal);
  }

  private frontEnd(): FrontEnd {
    return {commandLine: this.commandLine, where: this.where};
  }

  async execute(command: Exclude<ChatCommand, {verb: 'help'}>): Promise<{outcome: string; entry?: string}> {
    const catalog = this.options.catalog();
    const names = command.verb === 'status' ? command.parsed.argv : command.verb === 'log' ? (command.parsed.args.service ? [command.parsed.args.service] : []) : [command.parsed.args.service];
    // An unknown service is bad input, answered before any rule is looked at.
    const named = names.map((name) => findService(catalog, name));
    const services = command.verb === 'status' && named.length === 0 ? [...catalog.services.values()] : named;
    const decision = await mayRun({catalog, verb: command.verb as ChatVerb, services, person: this.typed.person, appTeam: this.options.appTeam, members: this.options.members});
    if (!decision.allowed) {
      if (command.verb === 'log') {
        await this.reply(refusalAnswer({verb: 'log', service: names[0], reason: decision.reason, mayRun: decision.mayRun}));
        return {outcome: 'refused'};
      }
      const ref = command.verb === 'deploy' ? command.parsed.flags.ref : undefined;
      return {outcome: 'refused', entry: await this.refuse(command.verb, named, decision, ref, `not allowed from chat: ${decision.reason}`)};
    }
    switch (command.verb) {
      case 'log': {
        const request = logRequest(command.parsed);
        const result = await this.foggy.log(request);
        await this.reply(logAnswer(result, request.limit));
        return {outcome: 'answered'};
      }
      case 'status': {
        const result = await this.foggy.status(statusRequest(command.parsed, this.frontEnd()));
        return this.answerStatus(result);
      }
      default: {
        return this.action(command.verb, command.parsed, named[0]);
      }
    }
  }

  private async answerStatus(result: StatusResult | StatusDryRun): Promise<{outcome: string; entry?: string}> {
    if ('dryRun' in result) {
      await this.reply(statusAnswer(result));
      return {outcome: 'dry run'};
    }
    if (!this.visibleWhereTyped(result.permalink)) await this.reply(statusAnswer(result));
    return {outcome: result.outcome, entry: result.entry};
  }

  private async action(verb: ActionVerb, parsed: Parameters<typeof actionRequest>[0], service: Service): Promise<{outcome: string; entry?: string}> {
    const request = actionRequest(parsed, this.frontEnd());
    const needsApproval = service.protected || service.chat.approvers.length > 0;
    if (request.dryRun) {
      const plan = (await this.foggy[verb]({...request, yes: !needsApproval})) as ActionDryRun;
      await this.reply(dryRunAnswer(needsApproval ? {...plan, confirmation: 'would ask'} : plan));
      return {outcome: 'dry run'};
    }
    if (needsApproval) return this.askForApproval(verb, request, service);
    const result = (await this.foggy[verb](request)) as ActionResult;
    await this.answerAction(result);
    return {outcome: result.outcome, entry: result.entry};
  }

  private async answerAction(result: ActionResult): Promise<void> {
    if (this.visibleWhereTyped(result.permalink)) return;
    await this.reply(markupAnswer(`${result.ok ? ':white_check_mark:' : ':x:'} ${escape(result.summary ?? `${result.verb} ${result.service}: ${result.outcome}`)}${result.permalink ? `\nRecorded: ${result.permalink}` : ''}`));
  }

  /** The entry's message is in the channel the person typed in: they see it there, nothing more to say. */
  private visibleWhereTyped(permalink: string | undefined): boolean {
    return permalink !== undefined && permalink.includes(`/archives/${this.typed.channel}/`);
  }

  private async askForApproval(verb: ActionVerb, request: ReturnType<typeof actionRequest>, service: Service): Promise<{outcome: string; entry?: string}> {
    const catalog = this.options.catalog();
    // The plan, as a dry run sees it: what the approver is asked to let run (masked like every entry).
    const plan = (await this.foggy[verb]({...request, dryRun: true, yes: true})) as ActionDryRun;
    const now = this.options.now?.() ?? Date.now();
    const confirmation: Confirmation = {
      id: this.front.newConfirmationId(),
      state: 'open',
      verb,
      service: service.name,
      ref: request.ref,
      reason: request.reason,
      waitMs: request.waitMs ?? 0,
      requester: this.typed.person,
      commandLine: this.commandLine,
      typedIn: {channel: this.typed.channel, team: this.typed.person.team},
      entryChannel: plan.message.channel,
      createdAt: now,
      expiresAt: now + catalog.chat.confirmWithinMs,
    };
    const approvers = service.chat.approvers.length > 0 ? `${describeRule(service.chat.approvers)} (not the one who asked)` : describeRule(ruleForApproval(catalog, verb, service));
    const opened = await this.front.openConfirmation(confirmation, plan, approvers, plan.message.channel);
    if (opened.message && opened.message.channel !== this.typed.channel) await this.reply(markupAnswer(`Waiting for approval in <#${opened.message.channel}>: nothing runs without a click.`));
    return {outcome: 'awaiting approval'};
  }

  /** Runs an approved confirmation: the requester's entry, approved by the one who clicked. */
  async approved(c: Confirmation, approver: string): Promise<{outcome: string; entry?: string}> {
    try {
      const result = (await this.foggy[c.verb]({commandLine: this.commandLine, where: this.where, service: c.service, ref: c.ref, reason: c.reason, waitMs: c.waitMs, confirmedBy: approver})) as ActionResult;
      if (!this.visibleWhereTyped(result.permalink)) await this.answerAction(result);
      return {outcome: result.outcome, entry: result.entry};
    } catch (error) {
      const failure = await this.front.answerFailure(error, '/foggy', this.reply);
      return {outcome: failure.exitCode === ExitCode.refused ? 'refused' : 'error'};
    }
  }

  /** A refusal: recorded as an entry, answered to the person with the rule and who may. */
  async refuse(verb: Exclude<ChatVerb, 'log'>, services: Service[], decision: Exclude<Decision, {allowed: true}>, ref: string | undefined, because: string): Promise<string> {
    const {entry} = await this.foggy.refuse({...this.frontEnd(), verb, services: services.map((s) => s.name), ref, because});
    await this.reply(refusalAnswer({verb, service: services.length === 1 ? services[0].name : undefined, reason: decision.reason, mayRun: decision.mayRun}));
    return entry;
  }

  /** A cancelled or expired confirmation: recorded as refused, the message already says it. */
  async refuseQuietly(c: Confirmation, because: string): Promise<string> {
    const {entry} = await this.foggy.refuse({...this.frontEnd(), verb: c.verb, services: [c.service], ref: c.ref, reason: c.reason, because});
    return entry;
  }
}

function ruleForApproval(catalog: Catalog, verb: ActionVerb, service: Service) {
  return service.chat.allow[verb] ?? catalog.chat.allow[verb] ?? [];
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
