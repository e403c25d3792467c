import {join} from 'node:path';
import {chatConfigured, selectServices} from '../catalog/lookup.js';
import type {Service} from '../catalog/types.js';
import {usageError} from '../errors/foggy-error.js';
import {openJournal, writableStateDir} from '../journal/open.js';
import {Outbox} from '../journal/outbox.js';
import {holdSingleInstance} from '../locks/single-instance.js';
import {catalogSecrets} from '../catalog/secrets.js';
import {createMasker} from '../mask/masker.js';
import {mirrorBudget} from '../run/session.js';
import {chooseChannel} from '../slack/channel-choice.js';
import {openDeliveryContext} from '../mirror/delivery-context.js';
import {IncidentBook} from '../watch/incidents.js';
import {Watcher, type WatchEvent} from '../watch/watcher.js';
import {buildEntry} from '../entry/build.js';
import type {JournalEntry} from '../journal/journal.js';
import {openQuietLog} from '../quiet/quiet.js';
import type {SharedIncidents} from '../coordination/shared-incidents.js';
import {coordinationOf, type Coordination} from '../coordination/settings.js';
import type {RunOptions} from '../watch/watcher.js';
import type {AppContext} from './context.js';

export interface WatchRequest {
  /** The watcher as its front end shows it ("foggy watch"): the incident entries' command line. */
  commandLine: string;
  /** Services to watch; all that have checks when empty. */
  services: string[];
  configPath?: string;
  /** One round, then exit (cron, CI). */
  once?: boolean;
  /** Every service's interval, instead of the catalog's (at least 1 ms). */
  intervalMs?: number;
  /** Stop after this many rounds (benchmarks). */
  maxRounds?: number;
  onRound?: (round: number) => void;
}

export interface WatchResult {
  rounds: number;
  /** Services down (or flapping) when the watcher stopped. */
  down: string[];
}

/**
 * `foggy watch`: one watcher per state directory (a lock naming its holder), the catalog's services checked
 * on their schedule, incidents journaled and delivered. Returns when the signal aborts, or after one round.
 */
export async function watch(app: AppContext, request: WatchRequest, onEvent: (event: WatchEvent) => void): Promise<WatchResult> {
  const {intervalMs} = request;
  const {env} = app;
  const catalog = await app.catalog(request.configPath);
  const chosen = selectServices(catalog, request.services);
  const services = chosen.filter((service) => service.checks.length > 0);
  if (services.length === 0) throw usageError(`Nothing to watch: ${request.services.length > 0 ? 'the services named have' : 'the catalog has'} no status checks.`);

  const state = writableStateDir(env);
  const lock = holdSingleInstance(state, 'watch');
  try {
    const journal = openJournal(env);
    const outbox = new Outbox(state);
    const mask = createMasker({env, patterns: catalog.redact, values: catalogSecrets(catalog)});
    const settings = app.settings();
    const slack = app.connection({catalog});
    const budgetMs = mirrorBudget(env, catalog);
    const channelFor = (service: Service) => (slack ? chooseChannel({env, services: [service], catalog, loginDefault: settings.channel}) : undefined);
    if (!slack) app.io.note('Slack is not connected: incidents are recorded in the journal and printed here.');
    const coordination = coordinationOf(env, catalog);
    const shared = coordination.kind === 'postgres' ? new (await import('../coordination/shared-incidents.js')).SharedIncidents(coordination, (line) => app.io.note(line)) : undefined;
    const quietLog = await openQuietLog(env, catalog, state);
    // Loaded here: the history is the watcher's (and the views') business, not every command's.
    const {openHistory} = await import('../history/open.js');
    const {HistoryKeeper} = await import('../history/keeper.js');
    const history = await openHistory(env, catalog).then(
      (store) => new HistoryKeeper(store, (line) => app.io.note(line)),
      (error: unknown) => {
        const message = (error as Error).message.replace(/\.$/, '');
        app.io.note(`${message.startsWith('The history') ? message : `Could not open the history (${message})`}: watching without keeping it.`);
        return undefined;
      },
    );
    // Incident messages offer chat's silence buttons where foggy serve answers them.
    const silenceable = chatConfigured(catalog) || Boolean(env.FOGGY_SLACK_APP_TOKEN?.trim());
    const entryFor = (chosen: Service[], fields: Pick<JournalEntry, 'verb' | 'args' | 'summary' | 'silence'>): JournalEntry => ({
      ...buildEntry({verb: fields.verb, services: chosen.map((s) => s.name), args: fields.args, commandLine: request.commandLine, channel: chosen[0] && channelFor(chosen[0]), who: app.deps.who}, catalog, mask, {env, cwd: app.cwd}),
      summary: fields.summary,
      silence: fields.silence,
    });
    const watcher = new Watcher({
      catalog,
      services,
      journal,
      outbox,
      mask,
      env,
      now: app.now,
      signal: app.signal,
      stateFile: join(state, 'watch-state.json'),
      incidents: new IncidentBook({catalog, journal, outbox, mask, env, who: app.deps.who, commandLine: request.commandLine, channelFor, shared, exitCodeOf: app.deps.exitCodeOf, silenceable: () => silenceable}),
      quiet: {read: () => quietLog.read(app.now().getTime()), told: (id) => quietLog.append({kind: 'silence-told', id, at: app.now().toISOString()})},
      entryFor,
      history,
      // A deploy followed by an incident: its message offers the way back (loaded then: rollback's business).
      afterDeploy: slack ? async (deploy) => (await import('./rollback.js')).offerAfterIncident(app, catalog, deploy) : undefined,
      exitCodeOf: app.deps.exitCodeOf,
      shared,
      delivery: slack ? (deadline) => openDeliveryContext({api: (signal) => slack.api(budgetMs, signal), journal, outbox, channels: slack.channels, deadline}) : undefined,
      budgetMs,
      onEvent,
      note: (line, ...remedies) => app.io.note(line, ...remedies),
      intervalMs,
    });
    const run = {once: request.once, maxRounds: request.maxRounds, onRound: request.onRound};
    try {
      if (coordination.kind === 'local' || !shared) return {rounds: watcher.rounds, down: await watcher.run(run)};
      try {
        return await watchAsTeam(app, coordination, watcher, shared, services, request, run);
      } finally {
        await shared.close();
      }
    } finally {
      await quietLog.close();
      await history?.close();
    }
  } finally {
    lock.release();
  }
}

/**
 * Several watchers of a team, on different hosts: one leads (a lease in the team's database) and runs the
 * rounds; the others stand by and take over within about one interval when it stops, carrying on its open
 * incidents (the same messages, edited). Which role this one has is said as it changes.
 */
async function watchAsTeam(
  app: AppContext,
  coordination: Extract<Coordination, {kind: 'postgres'}>,
  watcher: Watcher,
  shared: SharedIncidents,
  services: Service[],
  request: WatchRequest,
  run: RunOptions,
): Promise<WatchResult> {
  const {Leadership} = await import('../coordination/leadership.js');
  const {leaseHolder} = await import('../coordination/leases.js');
  const interval = request.intervalMs ?? Math.min(...services.map((service) => service.watch.intervalMs));
  // Renewed every third of it: a leader that died is replaced within about two thirds of an interval.
  const ttlMs = Math.min(coordination.ttlMs, Math.max(1000, Math.round((interval * 2) / 3)));
  const stop = new AbortController();
  const signal = AbortSignal.any([app.signal, stop.signal]);
  const leadership = new Leadership({
    target: coordination,
    name: 'watch',
    holder: leaseHolder({what: 'watch', frontEnd: 'watch'}),
    ttlMs,
    signal,
    onChange: (_role, detail) => app.io.note(`foggy watch: ${detail}`),
  });
  const leading = leadership.run();
  let down: string[] = [];
  try {
    if (request.once) {
      // One round for cron: only where this one leads; elsewhere, nothing to do.
      await leadership.untilSettled();
      if (leadership.leading) {
        watcher.adoptShared(await shared.load());
        down = await watcher.run(run);
      }
      return {rounds: watcher.rounds, down};
    }
    while (!app.signal.aborted) {
      await leadership.untilLeading();
      if (app.signal.aborted) break;
      try {
        watcher.adoptShared(await shared.load());
      } catch (error) {
        app.io.note(`Could not read the team's open incidents (${(error as Error).message}); watching without them.`);
      }
      down = await watcher.run({...run, leading: () => leadership.leading});
      if (run.maxRounds !== undefined && watcher.rounds >= run.maxRounds) break;
    }
    return {rounds: watcher.rounds, down};
  } finally {
    stop.abort();
    await leading;
  }
}
