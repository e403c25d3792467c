import type {Foggy} from '../core/app/foggy.js';
import type {ActionDryRun, ActionResult, SilenceResult, StatusDryRun, StatusResult} from '../core/app/results.js';
import type {ActionVerb, Catalog, ChatVerb, Service} from '../core/catalog/types.js';
import {findService} from '../core/catalog/lookup.js';
import type {Where, Who} from '../core/entry/types.js';
import type {FoggyError} from '../core/errors/foggy-error.js';
import {escape} from '../core/mirror/slack-text.js';
import {approvalNeeded} from '../core/run/approval.js';
import type {ActionRequest} from '../core/app/action.js';
import type {RollbackRequest} from '../core/app/rollback.js';
import {actionRequest, logRequest, rollbackRequest, silenceAsk, statusRequest, type FrontEnd, type ParsedSilence} from '../grammar/verbs.js';
import {describeRule, mayRun, ruleFor, type Decision} from './authorize.js';
import type {ChatCommand} from './grammar.js';
import type {Confirmation} from './memory/confirmations.js';
import {dryRunAnswer, logAnswer, markupAnswer, refusalAnswer, silenceAnswer, silencesAnswer, statusAnswer} from './messages.js';
import type {ChatFrontOptions, Reply, TypedCommand} from './types.js';

/** A request for any action verb: deploy and restart read its ref, rollback its target and the deploy it undoes. */
type VerbRequest = ActionRequest & Pick<RollbackRequest, 'to' | 'of'>;

/** What a run needs from the server around it: its stop signal, how failures are answered, and where confirmations open. */
export interface RunContext {
  readonly options: ChatFrontOptions;
  readonly signal: AbortSignal;
  answerFailure(error: unknown, prefix: string, reply: Reply): Promise<FoggyError>;
  openConfirmation(c: Confirmation, plan: ActionDryRun | undefined, approvers: string, fallbackChannel: string | undefined): Promise<Confirmation>;
  newConfirmationId(): string;
}

/** One command from one person: authorised, then the use case, then the answer. */
export class ChatRun {
  private readonly who: Who;
  private readonly where: Where;
  private readonly options: ChatFrontOptions;

  constructor(
    private readonly context: RunContext,
    private readonly typed: TypedCommand,
    private readonly commandLine: string,
    private readonly reply: Reply,
  ) {
    const {person} = typed;
    this.options = context.options;
    this.who = {user: person.user, host: this.options.host, slackUser: person.user, ...(person.name ? {name: person.name} : {})};
    this.where = {kind: 'chat', cwd: this.options.catalog().dir, chat: {channel: typed.channel, team: person.team}};
  }

  private get foggy(): Foggy {
    return this.options.foggyFor(this.who, this.context.signal);
  }

  private frontEnd(): FrontEnd {
    return {commandLine: this.commandLine, where: this.where};
  }

  async execute(command: Exclude<ChatCommand, {verb: 'help'}>): Promise<{outcome: string; entry?: string}> {
    const catalog = this.options.catalog();
    if (command.verb === 'silence') return this.silence(command.parsed);
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
      const ref = command.verb === 'deploy' ? command.parsed.flags.ref : command.verb === 'rollback' ? command.parsed.flags.to : undefined;
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

  /** `/foggy silence …`: the silences in force, one set (as the rules for silence allow), or one ended. */
  private async silence(parsed: ParsedSilence): Promise<{outcome: string; entry?: string}> {
    const ask = silenceAsk(parsed, this.frontEnd());
    if (ask.kind === 'list') {
      await this.reply(silencesAnswer(await this.foggy.silences()));
      return {outcome: 'answered'};
    }
    const catalog = this.options.catalog();
    const names = ask.kind === 'set' ? ask.request.services : ((await this.foggy.silences()).silences.find((s) => s.id === ask.request.id || s.id.startsWith(ask.request.id))?.services ?? []);
    const services = names.filter((name) => ask.kind === 'end' || findService(catalog, name)).map((name) => catalog.services.get(name)).filter((s): s is Service => s !== undefined);
    const decision = await mayRun({catalog, verb: 'silence', services, person: this.typed.person, appTeam: this.options.appTeam, members: this.options.members});
    if (!decision.allowed) return {outcome: 'refused', entry: await this.refuse('silence', services, decision, undefined, `not allowed from chat: ${decision.reason}`)};
    const result = ask.kind === 'end' ? await this.foggy.endSilence(ask.request) : await this.foggy.silence(ask.request);
    if ('dryRun' in result) {
      await this.reply(silenceAnswer(result));
      return {outcome: 'dry run'};
    }
    if (!this.visibleWhereTyped(result.permalink)) await this.reply(silenceAnswer(result));
    return {outcome: result.ok ? 'succeeded' : 'failed', entry: result.entry};
  }

  /** A silence set with an incident message's button: the clicker's entry, for as long as the button said. */
  async silenceFromAlert(service: string, forMs: number, incident: string): Promise<SilenceResult> {
    const result = (await this.foggy.silence({...this.frontEnd(), services: [service], forMs, reason: `silenced from the alert (incident ${incident})`, incident})) as SilenceResult;
    if (!this.visibleWhereTyped(result.permalink)) await this.reply(silenceAnswer(result));
    return result;
  }

  private async answerStatus(result: StatusResult | StatusDryRun): Promise<{outcome: string; entry?: string}> {
    if ('dryRun' in result) {
      await this.reply(statusAnswer(result));
      return {outcome: 'dry run'};
    }
    if (!this.visibleWhereTyped(result.permalink)) await this.reply(statusAnswer(result));
    return {outcome: result.outcome, entry: result.entry};
  }

  /** The use case of an action verb: rollback takes what to go back to (and what it undoes) instead of a ref. */
  private runVerb(verb: ActionVerb, request: VerbRequest): Promise<ActionResult | ActionDryRun> {
    return verb === 'rollback' ? this.foggy.rollback(request) : this.foggy[verb](request);
  }

  private async action(verb: ActionVerb, parsed: Parameters<typeof actionRequest>[0] & Parameters<typeof rollbackRequest>[0], service: Service): Promise<{outcome: string; entry?: string}> {
    const request: VerbRequest = verb === 'rollback' ? rollbackRequest(parsed, this.frontEnd()) : actionRequest(parsed, this.frontEnd());
    if (request.dryRun) {
      // The core says whether it would ask (a protected service, or one with approvers, from chat).
      await this.reply(dryRunAnswer((await this.runVerb(verb, request)) as ActionDryRun));
      return {outcome: 'dry run'};
    }
    if (approvalNeeded(service, 'chat') !== 'none') return this.askForApproval(verb, request, service);
    const result = (await this.runVerb(verb, request)) as ActionResult;
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

  private async askForApproval(verb: ActionVerb, request: VerbRequest, service: Service): Promise<{outcome: string; entry?: string}> {
    const catalog = this.options.catalog();
    // The plan, as a dry run sees it: what the approver is asked to let run (masked like every entry).
    const plan = (await this.runVerb(verb, {...request, dryRun: true})) as ActionDryRun;
    const now = this.options.now?.() ?? Date.now();
    const confirmation: Confirmation = {
      id: this.context.newConfirmationId(),
      state: 'open',
      verb,
      service: service.name,
      // A rollback's approval is for what the requester saw: that target, undoing that deploy.
      ref: plan.rollback ? plan.rollback.to.ref : request.ref,
      ...(plan.rollback ? {rollback: {of: plan.rollback.of.id, to: plan.rollback.to.id, ...(plan.rollback.of.ref === undefined ? {} : {fromRef: plan.rollback.of.ref})}} : {}),
      reason: request.reason,
      waitMs: request.waitMs ?? 0,
      requester: this.typed.person,
      commandLine: this.commandLine,
      typedIn: {channel: this.typed.channel, team: this.typed.person.team},
      entryChannel: plan.message.channel,
      createdAt: now,
      expiresAt: now + catalog.chat.confirmWithinMs,
    };
    const approvers = approvalNeeded(service, 'chat') === 'second person' ? `${describeRule(service.chat.approvers)} (not the one who asked)` : describeRule(ruleForApproval(catalog, verb, service));
    const opened = await this.context.openConfirmation(confirmation, plan, approvers, plan.message.channel);
    if (opened.message && opened.message.channel !== this.typed.channel) await this.reply(markupAnswer(`Waiting for approval in <#${opened.message.channel}>: nothing runs without a click.`));
    return {outcome: 'awaiting approval'};
  }

  /** A deploy message's "Roll back" button: that target, undoing that deploy, approved first when the service asks. */
  async rollbackFromMessage(service: Service, pinned: {of: string; to: string}): Promise<{outcome: string; entry?: string}> {
    try {
      const request: VerbRequest = {...this.frontEnd(), service: service.name, to: pinned.to, of: pinned.of, waitMs: 0};
      if (approvalNeeded(service, 'chat') !== 'none') return await this.askForApproval('rollback', request, service);
      const result = (await this.runVerb('rollback', request)) as ActionResult;
      await this.answerAction(result);
      return {outcome: result.outcome, entry: result.entry};
    } catch (error) {
      const failure = await this.context.answerFailure(error, '/foggy', this.reply);
      return {outcome: failure.kind === 'refused' ? 'refused' : 'error'};
    }
  }

  /** Runs an approved confirmation: the requester's entry, approved by the one who clicked. */
  async approved(c: Confirmation, approver: string): Promise<{outcome: string; entry?: string}> {
    try {
      const request: VerbRequest = {commandLine: this.commandLine, where: this.where, service: c.service, ref: c.ref, reason: c.reason, waitMs: c.waitMs, approval: {how: 'click', by: approver}, ...(c.rollback ? {to: c.rollback.to, of: c.rollback.of} : {})};
      const result = (await this.runVerb(c.verb, request)) as ActionResult;
      if (!this.visibleWhereTyped(result.permalink)) await this.answerAction(result);
      return {outcome: result.outcome, entry: result.entry};
    } catch (error) {
      const failure = await this.context.answerFailure(error, '/foggy', this.reply);
      return {outcome: failure.kind === 'refused' ? 'refused' : 'error'};
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
  return ruleFor(catalog, verb, service).rule;
}
