import {displayCommand} from '../actions/command-line.js';
import {findAction, findService} from '../catalog/lookup.js';
import type {Action, ActionVerb, Catalog, Service} from '../catalog/types.js';
import {formatDuration} from '../text/duration.js';
import {sleep} from '../platform/sleep.js';
import type {Entry} from '../entry/types.js';
import {FoggyError} from '../errors/foggy-error.js';
import {decideApproval, type Approval} from '../run/approval.js';
import {actionEvents} from '../quiet/action-events.js';
import {openQuietLog} from '../quiet/quiet.js';
import {checkText, MAX_REF_LENGTH} from '../run/input-limits.js';
import {coordinationOf} from '../coordination/settings.js';
import {commitTimes} from '../entry/commit-time.js';
import {lockService} from '../locks/service-lock.js';
import {maskDeep} from '../mask/masker.js';
import type {Session} from '../run/session.js';
import {planAction, runAction} from '../run/action-run.js';
import type {AppContext, VerbOptions} from './context.js';
import {previewMessage} from './preview.js';
import type {ActionDryRun, ActionResult, RollbackPlan} from './results.js';

export interface ActionRequest extends VerbOptions {
  service: string;
  ref?: string;
  dryRun?: boolean;
  /** How someone said yes to it, when they did before it was asked (see run/approval.ts). */
  approval?: Approval;
  /** How long to wait for another deploy or restart of the service on this machine; 0 refuses at once. */
  waitMs?: number;
}

/** deploy and restart: one flow, the service's action under its lock and the recorder. */
export async function runActionVerb(app: AppContext, verb: 'deploy' | 'restart', request: ActionRequest, options: {offer?: RollbackOffer} = {}): Promise<ActionResult | ActionDryRun> {
  checkText(request.ref, 'ref', MAX_REF_LENGTH);
  const session = await app.session(request);
  const service = findService(session.catalog, request.service);
  const action = findAction(service, verb);
  if (request.ref === undefined && usesRef(action.run)) {
    throw new FoggyError(`${verb} ${service.name} needs a ref: its action uses {ref}. Nothing ran.`, {code: 'ref_required', data: {verb, service: service.name}});
  }
  const {offer} = options;
  return runPlannedAction(app, session, request, {
    verb,
    service,
    action,
    ref: request.ref,
    args: request.ref === undefined ? {} : {ref: request.ref},
    what: `${verb} it`,
    // A failed deploy's message offers the way back.
    ...(verb === 'deploy' && offer ? {offer: (entry: Entry, signal: AbortSignal) => offer(session.catalog, service, entry, signal)} : {}),
  });
}

/** The earlier good deploy a failed deploy's message offers to go back to (rollback's business; handed in). */
export type RollbackOffer = (catalog: Catalog, service: Service, failed: Entry, signal: AbortSignal) => Promise<Entry['rollbackTo']>;

/** How long a failed deploy's message waits for the way back to be found before it is posted without it. */
const OFFER_WAIT_MS = 2_000;

/** Outcomes of a deploy that ran and did not succeed: its message offers the way back. */
const FAILED = new Set(['failed', 'timed_out', 'interrupted']);

/** What a verb runs: the catalog's action, with what the entry records beyond the request. */
export interface PlannedAction {
  verb: ActionVerb;
  service: Service;
  action: Action;
  ref?: string;
  args: Record<string, string>;
  /** The prompt's words for the run ("deploy it", "roll web back from v3 (failed) to v2"). */
  what: string;
  /** A rollback: the entry it undoes (recorded, and FOGGY_ROLLBACK_OF in the action's environment), and what it chose. */
  rollback?: RollbackPlan;
  /** After waiting for the lock: whether what was planned still holds (throws when it does not). */
  stillHolds?: () => Promise<void>;
  /** A deploy that did not succeed: the earlier good deploy its message offers to go back to, if any. */
  offer?: (entry: Entry, signal: AbortSignal) => Promise<Entry['rollbackTo']>;
  /** Once recorded (it ran): what else says so (a rollback marks the deploy it undid); a failure here is a warning. */
  after?: (done: Entry, permalink: string | undefined) => Promise<void>;
}

/** The plan of every deploy, restart and rollback: confirmation, the service's lock, the recorder, the watchers told. */
export async function runPlannedAction(app: AppContext, session: Session, request: Omit<ActionRequest, 'ref'>, planned: PlannedAction): Promise<ActionResult | ActionDryRun> {
  const {verb, service, action} = planned;
  const base = planAction(session.catalog, service, verb, action, planned.ref);
  const plan = planned.rollback ? {...base, command: {...base.command, env: {...base.command.env, FOGGY_ROLLBACK_OF: planned.rollback.of.id}}} : base;
  const approval = decideApproval(service, request.where?.kind === 'chat' ? 'chat' : 'shell', request.approval);
  const confirmedBy = approval.state === 'given' ? approval.by : undefined;
  const entry = session.entryFor([service], {verb, args: planned.args, reason: request.reason, command: displayCommand(plan.command), commandLine: request.commandLine, where: request.where, who: app.deps.who, confirmedBy, rollbackOf: planned.rollback?.of.id});
  if (approval.state === 'mismatch') {
    const error = new FoggyError(`The confirmation names ${approval.given}, not the service, ${service.name}; nothing ran.`, {kind: 'refused', code: 'confirmation_mismatch', data: {given: approval.given, service: service.name}});
    // A yes for another service is a refusal like a declined prompt: recorded, unless only a dry run.
    if (request.dryRun) throw error;
    return refuse(session, entry, error);
  }
  const confirmation: ActionDryRun['confirmation'] = approval.state === 'ask' ? 'would ask' : approval.state;

  if (request.dryRun) {
    return maskDeep(
      {dryRun: true as const, command: plan.command.argv, shell: plan.command.shell, cwd: plan.cwd, env: plan.command.env, timeoutMs: plan.action.timeoutMs, entry, confirmation, message: previewMessage(entry), ...(planned.rollback ? {rollback: planned.rollback} : {})},
      session.mask,
    );
  }

  // One deploy or restart of a service at a time on this machine; asked before the confirmation,
  // so nobody types a service's name only to be told someone else is at it.
  const waitMs = request.waitMs ?? 0;
  const locked = await lockService({
    stateDir: app.stateDir,
    service: service.name,
    verb,
    entry: entry.id,
    waitMs,
    signal: app.signal,
    onWait: (message) => app.io.note(`${message}; waiting up to ${formatDuration(waitMs)}…`),
    coordination: coordinationOf(app.env, session.catalog),
    frontEnd: entry.where.kind,
    onLost: (why) => app.io.warn(`The lock on ${service.name} was lost during the ${verb}: ${why}. The ${verb} goes on; its fencing token (FOGGY_LOCK_TOKEN) lets the target refuse a stale writer.`),
  });
  if (!locked.acquired) {
    const error = locked.interrupted
      ? new FoggyError(`Interrupted while waiting: ${locked.message}. Nothing ran.`, {kind: 'interrupted'})
      : locked.unreachable
        ? new FoggyError(`${locked.message}. Nothing ran.`, {kind: 'refused', code: 'coordination_unreachable', hint: 'Deploys and restarts wait for the team\'s lock; with coordination.fallback: local in foggy.yml they use this machine\'s lock while the database is away.'})
        : new FoggyError(`${locked.message}. Nothing ran.`, waitMs > 0 ? {kind: 'refused', hint: `It was still running after ${formatDuration(waitMs)}.`, code: 'service_locked', data: {service: service.name, verb, waitedMs: waitMs}} : {kind: 'refused', remedy: {do: 'wait'}, code: 'service_locked', data: {service: service.name, verb, waitedMs: 0}});
    return refuse(session, entry, error);
  }
  if (locked.note) app.io.warn(locked.note);
  if (waitMs > 0 && planned.stillHolds) {
    try {
      await planned.stillHolds();
    } catch (error) {
      await locked.lock.release();
      return refuse(session, entry, error instanceof FoggyError ? error : new FoggyError((error as Error).message, {kind: 'refused'}));
    }
  }
  // Lead time needs the deployed commit's time: recorded now, while the repository is at hand.
  if (verb === 'deploy' && entry.where.commit && !entry.where.committedAt) {
    const at = (await commitTimes(session.catalog.dir, [entry.where.commit], 2_000)).get(entry.where.commit);
    if (at !== undefined) entry.where.committedAt = new Date(at).toISOString();
  }
  const {lock} = locked;
  entry.lock = {kind: lock.kind, ...(lock.token === undefined ? {} : {token: lock.token})};
  // The fencing token goes to the action, which may hand it to what it deploys to refuse stale writers.
  const locking = lock.token === undefined ? plan : {...plan, command: {...plan.command, env: {...plan.command.env, FOGGY_LOCK_TOKEN: String(lock.token)}}};

  const watchers = actionEvents(() => openQuietLog(app.env, session.catalog, app.stateDir), (line) => app.io.warn(line));
  let told = false;
  try {
    if (approval.state === 'ask') await confirm(app, session, entry, service, planned.what);
    const recorded = await session.recorder.run(
      entry,
      async (signal) => {
        // The watchers go quiet for the service before it goes down.
        await watchers.started(entry);
        told = true;
        const result = await runAction(locking, {signal, env: app.env, onOutput: (chunk, stream) => app.io.output(chunk, stream)});
        const lost = lock.lost();
        // The lock guards the action, not its record: the next deploy may start while this one's outcome is posted.
        await lock.release();
        // Offered when found in time: a Slack that is slow to answer costs the failed deploy's message its button, not its news.
        const offered = FAILED.has(result.end.outcome) && planned.offer ? await offerInTime(planned.offer, {...entry, outcome: result.end.outcome}) : undefined;
        return {...result, end: {...result.end, ...(lost ? {lock: {...entry.lock!, lost}} : {}), ...(offered ? {rollbackTo: offered} : {})}};
      },
      {announce: true},
    );
    const done = recorded.entry;
    if (told) await watchers.ended(done);
    told = false;
    if (done.outcome === 'refused') throw new FoggyError(done.summary ?? 'refused', {kind: 'refused', hint: session.mirror.problem?.hint, remedy: session.mirror.problem?.remedy});
    if (planned.after) await planned.after(done, recorded.posted?.permalink).catch((error: unknown) => app.io.warn((error as Error).message));
    return {
      ok: done.outcome === 'succeeded',
      entry: done.id,
      verb,
      service: service.name,
      outcome: done.outcome,
      durationMs: done.durationMs,
      summary: done.summary,
      output: done.output,
      permalink: recorded.posted?.permalink,
      ...(planned.rollback ? {rollback: planned.rollback} : {}),
    };
  } finally {
    // Also when nothing ran (refused, not confirmed) or the work threw; a second release does nothing.
    await lock.release();
    if (told) await watchers.ended({...entry, outcome: 'unknown'});
    await watchers.close();
  }
}

/** The way back, when it is found in time; its reading is stopped when it is not (it keeps no process alive). */
async function offerInTime(offer: NonNullable<PlannedAction['offer']>, entry: Entry): Promise<Entry['rollbackTo']> {
  const controller = new AbortController();
  try {
    return await Promise.race([offer(entry, controller.signal).catch(() => undefined), sleep(OFFER_WAIT_MS, undefined, {unref: true}).then(() => undefined)]);
  } finally {
    controller.abort();
  }
}

/** `{ref}` in the action's command: an empty ref would run something else than the user meant. */
export function usesRef(run: string | string[]): boolean {
  return (Array.isArray(run) ? run : [run]).some((part) => part.includes('{ref}') || part.includes('$FOGGY_REF') || part.includes('${FOGGY_REF'));
}

/** A protected service needs its name typed back (as heroku asks for destructive commands). */
async function confirm(app: AppContext, session: Session, entry: Entry, service: Service, what: string): Promise<void> {
  const verb = entry.verb;
  const answer = await app.io.ask(`${service.name} is protected. Type the service name to ${what}: `);
  if (answer === undefined) {
    return refuse(session, entry, new FoggyError(`${service.name} is protected: ${verb} needs confirmation, and nobody can be asked here.`, {kind: 'refused', code: 'confirmation_required', remedy: {do: 'confirm', service: service.name}, data: {service: service.name, verb}}));
  }
  if (answer.trim() !== service.name) return refuse(session, entry, new FoggyError(`Confirmation did not match "${service.name}"; nothing ran.`, {kind: 'refused', code: 'confirmation_declined', data: {service: service.name}}));
}

/** Records a refusal and stops. */
export async function refuse(session: Session, entry: Entry, error: FoggyError): Promise<never> {
  await session.recorder.refuse(entry, error.message);
  throw error;
}
