import {findAction, findService} from '../catalog/lookup.js';
import type {Catalog, Service} from '../catalog/types.js';
import {coordinationOf} from '../coordination/settings.js';
import type {Entry} from '../entry/types.js';
import {FoggyError, inputError, type ErrorCode} from '../errors/foggy-error.js';
import type {Remedy} from '../errors/remedy.js';
import {withLiveness} from '../journal/liveness.js';
import {openJournal} from '../journal/open.js';
import {botIdentity, readChannelEntries, unreadable} from '../mirror/read-back.js';
import {reviseEntryMessage} from '../mirror/revise.js';
import {rollbackOfferBlock, withOffer, withRolledBack} from '../mirror/rollback-message.js';
import type {ActionRun} from '../quiet/events.js';
import {whoShort} from '../entry/context.js';
import {DEPLOY_VERBS, deployOf, deployRunOf, mergeRuns, RUNS_READ, teamRuns} from '../rollback/record.js';
import {chooseTarget, type DeployRun, type NoTarget} from '../rollback/target.js';
import {checkText, MAX_REF_LENGTH} from '../run/input-limits.js';
import {SlackFailure} from '../slack/failure.js';
import type {ActionRequest} from './action.js';
import {runPlannedAction} from './action.js';
import type {AppContext} from './context.js';
import type {ActionDryRun, ActionResult, RollbackPlan, RollbackRun} from './results.js';

export interface RollbackRequest extends Omit<ActionRequest, 'ref'> {
  /** An earlier good deploy to go back to: its ref, or its entry id (or a start of it); default the last good one. */
  to?: string;
  /**
   * The deploy the requester saw as the current one (a chat button, an approval): when another has run since, the
   * rollback is refused rather than undoing something nobody looked at.
   */
  of?: string;
}

const READ_TIMEOUT_MS = 5_000;
/** What an offer reads of the channel: the latest deploys of the service, within a few pages of history. */
const BRIEF_RUNS = 20;
const BRIEF_PAGES = 3;

/**
 * `foggy rollback SERVICE`: the ref of the last good deploy before the current one, deployed again (by the service's
 * rollback action, else its deploy action), with the same confirmation, lock and record as a deploy.
 */
export async function rollback(app: AppContext, request: RollbackRequest): Promise<ActionResult | ActionDryRun> {
  checkText(request.to, 'to', MAX_REF_LENGTH);
  if (request.to !== undefined && request.to.trim() === '') throw inputError('to', 'empty: give the ref or the entry id of the deploy to go back to');
  const session = await app.session(request);
  const service = findService(session.catalog, request.service);
  const action = service.actions.rollback ?? findAction(service, 'deploy');
  const choose = async () => {
    const record = await readDeploys(app, session.catalog, service);
    const choice = chooseTarget(record.runs, service.name, request.to);
    if (!choice.ok) throw noTarget(choice, service.name, record);
    if (request.of !== undefined && request.of !== choice.current.id) throw deployedSince(service.name, request.of, choice.current);
    return {...choice, read: record.read};
  };
  const {current, target, read} = await choose();
  const plan: RollbackPlan = {of: shown(current), to: shown(target), read};
  return runPlannedAction(app, session, request, {
    verb: 'rollback',
    service,
    action,
    ref: target.ref,
    args: {ref: target.ref!, ...(current.ref === undefined ? {} : {from: current.ref})},
    what: `roll ${service.name} back from ${refWords(current)} to ${target.ref}`,
    rollback: plan,
    after: (done, permalink) => markUndone(app, session.catalog, service, current, done, permalink),
    // A deploy that ran while this one waited for the lock is not the one the person chose to undo.
    stillHolds: async () => {
      const now = await readDeploys(app, session.catalog, service);
      const latest = chooseTarget(now.runs, service.name, request.to);
      const currentNow = latest.ok ? latest.current : 'current' in latest ? latest.current : undefined;
      if (currentNow && currentNow.id !== current.id) throw deployedSince(service.name, current.id, currentNow);
      // The one waited for has ended: the plan says how.
      if (currentNow) plan.of = shown(currentNow);
    },
  });
}

/**
 * What a deploy that did not succeed offers on its message: the deploy a rollback would go back to now, read
 * from the records at hand. Nothing when there is none (or it has no ref): the message then offers nothing.
 */
export async function rollbackOffer(app: AppContext, catalog: Catalog, service: Service, failed: Entry, signal?: AbortSignal): Promise<Entry['rollbackTo']> {
  const record = await readDeploys(app, catalog, service, {quiet: true, brief: true, signal});
  const run = deployRunOf(failed);
  const choice = chooseTarget(run ? mergeRuns(record.runs, [run]) : record.runs, service.name);
  if (!choice.ok || choice.current.id !== failed.id || !choice.target.ref) return undefined;
  return {entry: choice.target.id, ref: choice.target.ref};
}

/**
 * A deploy that succeeded and was followed by an incident of its service: its message gains the button that
 * rolls it back (to what a rollback would choose now). Nothing when it is no longer the current deploy, or there
 * is nothing to go back to.
 */
export async function offerAfterIncident(app: AppContext, catalog: Catalog, deploy: ActionRun): Promise<void> {
  const service = catalog.services.get(deploy.service);
  const slack = service && app.connection({catalog, services: [service]});
  if (!service || !slack?.channel) return;
  const record = await readDeploys(app, catalog, service, {quiet: true, brief: true});
  const choice = chooseTarget(record.runs, service.name);
  if (!choice.ok || choice.current.id !== deploy.entry || !choice.target.ref) return;
  const offer = rollbackOfferBlock({id: deploy.entry, services: [service.name]}, {entry: choice.target.id, ref: choice.target.ref});
  const api = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS * 3));
  const [channelId, bot] = await Promise.all([slack.channels.id(slack.channel, api), botIdentity(api)]);
  await reviseEntryMessage(api, channelId, {id: deploy.entry, startedAt: deploy.startedAt}, bot, (blocks) => withOffer(blocks, offer));
}

/**
 * The undone deploy's message says it was rolled back, by whom, with a link to the rollback's message, and offers
 * its button no more. Best effort, bounded: the rollback is recorded whatever happens here.
 */
async function markUndone(app: AppContext, catalog: Catalog, service: Service, undone: DeployRun, rollback: Entry, permalink: string | undefined): Promise<void> {
  const slack = app.connection({catalog, services: [service]});
  if (!slack?.channel) return;
  try {
    // After the rollback is recorded: a Slack slow to answer costs the old message its note, within a few seconds.
    const api = slack.api(READ_TIMEOUT_MS, AbortSignal.timeout(READ_TIMEOUT_MS));
    const [channelId, bot] = await Promise.all([slack.channels.id(slack.channel, api), botIdentity(api)]);
    await reviseEntryMessage(api, channelId, undone, bot, (blocks) => withRolledBack(blocks, {by: whoShort(rollback.who), ref: rollback.args.ref, outcome: rollback.outcome, link: permalink}));
  } catch (error) {
    throw new Error(`Could not mark ${undone.verb} ${undone.id}'s message as rolled back (${error instanceof SlackFailure ? error.code : (error as Error).message}); the rollback is recorded.`);
  }
}

/** "v3 (failed)", "v3", or the entry when it had no ref. */
function refWords(run: DeployRun): string {
  const name = run.ref ?? `entry ${run.id}`;
  return run.outcome === 'succeeded' ? name : `${name} (${run.outcome.replace('_', ' ')})`;
}

function shown(run: DeployRun): RollbackRun {
  return {id: run.id, verb: run.verb, ...(run.ref === undefined ? {} : {ref: run.ref}), outcome: run.outcome, startedAt: run.startedAt, ...(run.who ? {who: run.who} : {})};
}

/**
 * The service's deploys and rollbacks from every record at hand: this machine's journal, the channel when
 * connected (every machine's runs), and the team's database when coordinating there. A source that cannot be
 * read is said and left out.
 */
async function readDeploys(app: AppContext, catalog: Catalog, service: Service, options: {quiet?: boolean; brief?: boolean; signal?: AbortSignal} = {}): Promise<{runs: DeployRun[]; read: string[]; oldest?: number}> {
  const read: string[] = [];
  const journal = openJournal(app.env);
  const local = journal
    .recent(options.brief ? BRIEF_RUNS : RUNS_READ, deployOf(service.name), {verbs: DEPLOY_VERBS})
    .map((entry) => deployRunOf(withLiveness(entry)))
    .filter((run): run is DeployRun => run !== undefined);
  read.push('the journal');
  const fromChannel: DeployRun[] = [];
  const slack = app.connection({catalog, services: [service]});
  if (slack?.channel) {
    try {
      const timeout = AbortSignal.timeout(READ_TIMEOUT_MS * 4);
      const api = slack.api(READ_TIMEOUT_MS, options.signal ? AbortSignal.any([options.signal, timeout]) : timeout);
      const [channelId, bot] = await Promise.all([slack.channels.id(slack.channel, api), botIdentity(api)]);
      // An offer on a message is made on the way (a deploy just failed): a few pages of history, not the channel's year.
      const readChannel = () => readChannelEntries(api, channelId, options.brief ? {limit: BRIEF_RUNS, maxPages: BRIEF_PAGES, filter: deployOf(service.name), bot} : {limit: RUNS_READ, filter: deployOf(service.name), bot});
      const channel = options.quiet ? await readChannel() : await app.io.progress(`Reading ${slack.channel}…`, readChannel);
      for (const entry of channel.entries) {
        const run = deployRunOf(entry);
        if (run) fromChannel.push(run);
      }
      read.push(slack.channel);
    } catch (error) {
      const failure = error instanceof SlackFailure ? error : undefined;
      if (!options.quiet) app.io.warn(unreadable(slack.channel, error, 'choosing from the other records'), ...(failure?.remedy ? [failure.remedy] : []));
    }
  }
  const fromTeam: DeployRun[] = [];
  const coordination = coordinationOf(app.env, catalog);
  if (coordination.kind === 'postgres' && !options.signal?.aborted) {
    try {
      fromTeam.push(...(await teamRuns(coordination, service.name)));
      read.push("the team's database");
    } catch (error) {
      if (!options.quiet) app.io.warn(`Could not read the team's database (${(error as Error).message}); choosing from the other records.`);
    }
  }
  const runs = mergeRuns(local, fromChannel, fromTeam);
  const oldest = runs.length === 0 ? undefined : Math.min(...runs.map((run) => run.startedAt));
  return {runs, read, oldest};
}

const when = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const described = (run: DeployRun) => `${run.verb} ${run.ref ?? 'without a ref'} (${run.outcome.replace('_', ' ')}, ${when(run.startedAt)}${run.who ? ` by ${run.who}` : ''}, entry ${run.id})`;

/** Nothing to go back to: what is missing, and what to do. Nothing ran: a usage error, as a deploy without its ref. */
function noTarget(choice: NoTarget, service: string, record: {read: string[]; oldest?: number}): FoggyError {
  const where = `${record.read.join(', ')}${record.oldest === undefined ? '' : `, back to ${when(record.oldest)}`}`;
  const refused = (message: string, code: ErrorCode, advice: {remedy?: Remedy; hint?: string}, data: Record<string, unknown> = {}) =>
    new FoggyError(`${message} Nothing ran.`, {kind: 'usage', code, data: {service, reason: choice.reason, ...data}, ...advice});
  const listEntries = {remedy: {do: 'list-entries'} as Remedy};
  switch (choice.reason) {
    case 'no deploys': {
      return refused(`No deploy of ${service} in the record (${where}): nothing to roll back.`, 'nothing_to_roll_back', listEntries);
    }
    case 'nothing earlier': {
      return refused(
        `No earlier good deploy of ${service} to go back to: the current one is ${described(choice.current)}, and the record (${where}) holds no deploy before it that succeeded and was not rolled back.`,
        'nothing_to_roll_back',
        {hint: 'To put back a version the record does not hold, deploy it by its ref.'},
      );
    }
    case 'ref unknown': {
      return refused(`The deploy to go back to, ${described(choice.candidate)}, names no ref to deploy again${choice.candidate.refCut ? ' (its ref was cut short where it was read)' : ''}.`, 'rollback_ref_unknown', {remedy: {do: 'give', field: 'to', example: 'v2'}}, {entry: choice.candidate.id});
    }
    case 'not found': {
      return refused(`${JSON.stringify(choice.given)} is neither a ref ${service} was deployed with nor an entry of its deploys in the record (${where}).`, 'rollback_target_unknown', listEntries, {to: choice.given});
    }
    case 'other service': {
      return refused(`Entry ${choice.candidate.id} is a ${choice.candidate.verb} of ${choice.candidate.service}, not of ${service}.`, 'rollback_target_unknown', listEntries, {to: choice.given});
    }
    case 'not good': {
      return refused(`${JSON.stringify(choice.given)} is not a good deploy to go back to: ${described(choice.candidate)}.`, 'rollback_target_not_good', listEntries, {to: choice.given, entry: choice.candidate.id});
    }
    case 'not earlier': {
      return refused(`${JSON.stringify(choice.given)} is ${service}'s current deploy or a later one (${described(choice.candidate)}), not an earlier one.`, 'rollback_target_not_earlier', listEntries, {to: choice.given, entry: choice.candidate.id});
    }
    case 'ambiguous': {
      return refused(`${JSON.stringify(choice.given)} is the start of more than one entry's id: give more of it.`, 'rollback_target_ambiguous', listEntries, {to: choice.given});
    }
  }
}

function deployedSince(service: string, of: string, current: DeployRun): FoggyError {
  return new FoggyError(`${service} has been deployed since entry ${of} was current: its current deploy is ${described(current)}. This rollback no longer applies; nothing ran.`, {
    kind: 'refused',
    code: 'deployed_since',
    data: {service, of, current: current.id},
  });
}
