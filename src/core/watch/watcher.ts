import type {Catalog, Service} from '../catalog/types.js';
import {checkServices} from '../checks/run-checks.js';
import type {ServiceStatus} from '../checks/types.js';
import type {Journal, JournalEntry} from '../journal/journal.js';
import {deliverableByOthers} from '../journal/liveness.js';
import type {Outbox} from '../journal/outbox.js';
import {maskDeep, type Mask} from '../mask/masker.js';
import {deliver, remind, type DeliveryContext} from '../mirror/delivery.js';
import {refusedForGood} from '../mirror/flush.js';
import {setAside} from '../mirror/delivery.js';
import {SlackFailure} from '../slack/failure.js';
import {describeFsError} from '../errors/environment.js';
import {sleep} from '../platform/sleep.js';
import type {Note} from '../errors/remedy.js';
import {failingChecks, IncidentBook} from './incidents.js';
import {loadWatchState, saveWatchState, type SavedWatch} from './saved-state.js';
import {initialWatch, observe, type ServiceWatch, type WatchedState} from './state.js';
import {hostname} from 'node:os';
import {quietReason, watchDecision, type QuietReason} from '../quiet/decision.js';
import type {ActionRun, QuietRecord} from '../quiet/events.js';
import {rollbackThreadMessage} from '../mirror/rollback-message.js';
import {beganWith, describeQuiet, quietContext, refreshed} from '../quiet/quiet.js';
import {formatSpan} from '../text/duration.js';
import type {HistoryKeeper} from '../history/keeper.js';
import type {RoundSample} from '../history/store.js';

/** One line of `foggy watch`'s output: a service changed state. */
export interface WatchEvent {
  at: string;
  service: string;
  state: Exclude<WatchedState, 'unknown'>;
  previous: WatchedState;
  /** Down because this service it depends on is down: no alert of its own. */
  because?: string;
  /** Why it is down: the failing checks ("site: connection refused"). */
  reason?: string;
  /** The incident this change opened, changed or resolved. */
  incident?: string;
  /** Up again: how long it was down. */
  downMs?: number;
  /** It changed while quiet (a deploy running, its grace, a silence, a window): why; nothing was posted. */
  quiet?: string;
}

export interface WatcherOptions {
  catalog: Catalog;
  services: Service[];
  journal: Journal;
  outbox: Outbox;
  mask: Mask;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  signal: AbortSignal;
  stateFile: string;
  incidents: IncidentBook;
  /** A delivery context for one pass, its requests aborted at `deadline`; undefined: Slack is not connected. */
  delivery?: (deadline: number) => {context: DeliveryContext; close: () => void};
  budgetMs: number;
  onEvent: (event: WatchEvent) => void;
  note: Note;
  /** Every service's interval, instead of the catalog's (a demo, a test). */
  intervalMs?: number;
  /** The status the front end reports for an outcome, kept in the entries the watcher records. */
  exitCodeOf?: (outcome: 'succeeded') => number | undefined;
  /** The team's shared open incidents (coordination on): writes that failed are tried again each round. */
  shared?: {retryPending(): void};
  /** What quiets the watcher now (deploys, silences), read each round; undefined: nothing ever does. */
  quiet?: {read(): Promise<QuietRecord>; told(id: string): Promise<void>};
  /** Where each round's samples, and the incidents, are kept for the views (uptime, the status page). */
  history?: HistoryKeeper;
  /**
   * An incident opened after a deploy of its service that succeeded (the latest one): the deploy's message is to
   * offer the way back. Best effort, off the round's path; what it says when it fails is its own business.
   */
  afterDeploy?: (deploy: ActionRun) => Promise<void>;
  /** The entries the watcher records of its own (a silence that is over), built as the front end shows them. */
  entryFor?: (services: Service[], fields: Pick<JournalEntry, 'verb' | 'args' | 'summary' | 'silence'>) => JournalEntry;
}

export interface RunOptions {
  once?: boolean;
  maxRounds?: number;
  onRound?: (round: number) => void;
  /** Rounds go on while this holds (the active watcher of a team: while it leads). */
  leading?: () => boolean;
}

type Belief = ServiceWatch & {
  because?: string;
  /** Why it was quiet last round: when that ends with the service still failing, its incident says it began then. */
  quiet?: QuietReason;
};

/**
 * foggy watch: the services' checks on a schedule, a belief per service (see state.ts), incidents raised,
 * edited and resolved, delivered through the outbox with the same guarantees as every entry. Rounds never
 * overlap: a slow round delays the next one. State survives a restart (the journal's open incidents and
 * the saved counts).
 */
export class Watcher {
  private readonly beliefs = new Map<string, Belief>();
  private readonly nextDue = new Map<string, number>();
  private readonly saved: SavedWatch;
  private readonly order: Service[];
  private slackProblem?: string;
  private quietProblem?: string;
  private quietRecord: QuietRecord = {actions: [], silences: []};
  private historyWrites: Promise<void>[] = [];
  /** Deploy messages being given their "Roll back" button: waited for when the watcher stops. */
  private offers: Promise<void>[] = [];
  private leading: () => boolean = () => true;
  rounds = 0;

  constructor(private readonly options: WatcherOptions) {
    this.order = dependencyOrder(options.services, options.catalog);
    this.saved = loadWatchState(options.stateFile);
    const now = options.now();
    for (const service of this.order) this.beliefs.set(service.name, this.saved.services[service.name] ?? initialWatch(now));
    this.pickUpOpenIncidents();
    // Incidents a watcher that died left waiting for the channel: this one delivers them (read once, at start).
    for (const entry of options.outbox.list()) if (entry.verb === 'incident' && (entry.pid === process.pid || deliverableByOthers(entry))) options.incidents.queued.add(entry.id);
  }

  /** Open incidents in the journal (a watcher killed mid-incident): carried on, never opened twice. */
  private pickUpOpenIncidents(): void {
    const names = new Set(this.order.map((service) => service.name));
    const open = this.options.journal.recent(names.size, (entry) => entry.verb === 'incident' && entry.outcome === 'running' && names.has(entry.services[0]));
    this.carryOn(open.reverse());
  }

  /**
   * Open incidents another watcher of the team left (it died, or stepped down): this one carries them on, editing
   * their messages; its journal learns of them first, so that their ends are recorded against their starts.
   */
  adoptShared(entries: JournalEntry[]): void {
    const names = new Set(this.order.map((service) => service.name));
    const theirs = entries.filter((entry) => names.has(entry.services[0]) && this.options.incidents.openFor(entry.services[0])?.id !== entry.id);
    for (const entry of theirs) if (this.options.journal.recent(1, (known) => known.id === entry.id).length === 0) this.options.journal.append({kind: 'start', entry: {...entry, delivery: undefined} as JournalEntry});
    this.carryOn(theirs);
  }

  private carryOn(open: JournalEntry[]): void {
    for (const entry of open) {
      const name = entry.services[0];
      if (this.options.incidents.openFor(name)) continue;
      this.options.incidents.adopt(entry);
      const belief = this.beliefs.get(name)!;
      const service = this.order.find((candidate) => candidate.name === name)!;
      if (belief.state !== 'down' && belief.state !== 'flapping') {
        this.beliefs.set(name, {...belief, state: entry.incident?.state ?? 'down', since: entry.startedAt, failures: Math.max(belief.failures, service.watch.downAfter), successes: 0, because: undefined});
      }
    }
  }

  /** Rounds until the signal aborts (or one round with `once`). Returns the services down, or failing their checks, at the end. */
  async run(options: RunOptions = {}): Promise<string[]> {
    const {signal} = this.options;
    this.leading = options.leading ?? (() => true);
    while (!signal.aborted && this.leading()) {
      const started = Date.now();
      const due = options.once ? this.order : this.order.filter((service) => (this.nextDue.get(service.name) ?? 0) <= started);
      if (due.length > 0) {
        await this.round(due, started);
        options.onRound?.(this.rounds);
      }
      if (options.once || (options.maxRounds !== undefined && this.rounds >= options.maxRounds)) break;
      // A slow round delays the next one rather than stacking: the wait is measured from its end.
      const wake = Math.min(...this.order.map((service) => this.nextDue.get(service.name) ?? 0));
      await sleep(Math.max(0, wake - Date.now()), signal);
    }
    await Promise.all(this.offers.splice(0));
    return this.order
      .filter((service) => {
        const belief = this.beliefs.get(service.name)!;
        return belief.state === 'down' || belief.state === 'flapping' || belief.lastOk === false;
      })
      .map((service) => service.name);
  }

  private async round(due: Service[], started: number): Promise<void> {
    const {catalog, signal} = this.options;
    const statuses = maskDeep(await checkServices(due, {cwd: catalog.dir, signal, env: this.options.env}), this.options.mask);
    // Stopped, or no longer the team's active watcher while the checks ran: another one speaks now.
    if (signal.aborted || !this.leading()) return;
    this.rounds++;
    const now = this.options.now();
    const quiet = quietContext(catalog, await this.readQuiet(), hostname(), now.getTime());
    const byName = new Map(statuses.map((status) => [status.service, status]));
    const samples: RoundSample[] = [];
    // Dependencies first: a service's belief about its dependency is this round's.
    for (const service of this.order) {
      const status = byName.get(service.name);
      if (!status) continue;
      const reason = quietReason(service.name, now.getTime(), quiet);
      samples.push({
        service: service.name,
        ok: status.ok,
        latencyMs: status.latencyMs,
        quiet: reason?.kind,
        spanMs: this.options.intervalMs ?? service.watch.intervalMs,
        checks: status.checks.map((check) => ({name: check.name, ok: check.ok, latencyMs: check.latencyMs, detail: check.detail})),
      });
      try {
        this.apply(service, status, now, reason);
      } catch (error) {
        // The journal could not be written (a full disk): the belief stays as it was, so the next round tries
        // the same change again, and the watcher keeps watching.
        this.options.note(`Could not record ${service.name}'s change (${describeFsError(error)}); trying again next round.`);
      }
      const interval = this.options.intervalMs ?? service.watch.intervalMs;
      this.nextDue.set(service.name, Math.max(started + interval, Date.now()));
    }
    await this.tellSilencesOver(now);
    // The round's samples (and the incidents it changed) go into the history before anything is delivered.
    if (this.options.history) {
      await Promise.all(this.historyWrites.splice(0));
      await this.options.history.round(now.getTime(), samples, this.quietRecord.actions);
    }
    await this.deliver(now);
    this.options.shared?.retryPending();
    this.saved.services = Object.fromEntries(this.beliefs);
    saveWatchState(this.options.stateFile, this.saved);
  }

  /** An incident that follows a deploy of its service (the latest, which succeeded): that deploy's message offers the way back. */
  private followsDeploy(service: string, incident: JournalEntry): void {
    const opened = Date.parse(incident.startedAt);
    const runs = this.quietRecord.actions.filter((run) => run.service === service && (run.verb === 'deploy' || run.verb === 'rollback') && run.startedAt <= opened);
    const latest = runs.sort((a, b) => a.startedAt - b.startedAt).at(-1);
    if (!latest || latest.verb !== 'deploy' || latest.outcome !== 'succeeded' || !this.options.afterDeploy) return;
    this.offers.push(this.options.afterDeploy(latest).catch(() => {}));
  }

  /** An incident as the history keeps it (the page lists them); handed back as it was. */
  private kept<T extends JournalEntry | undefined>(entry: T): T {
    if (entry && this.options.history) {
      this.historyWrites.push(
        this.options.history.incident({id: entry.id, service: entry.services[0], started: Date.parse(entry.startedAt), ended: entry.outcome === 'resolved' && entry.endedAt ? Date.parse(entry.endedAt) : undefined, summary: entry.outcome === 'resolved' ? undefined : entry.summary, began: entry.incident?.began}),
      );
    }
    return entry;
  }

  /** What quiets the services now; when it cannot be read, what was read last (and a note, once). */
  private async readQuiet(): Promise<QuietRecord> {
    if (!this.options.quiet) return this.quietRecord;
    try {
      this.quietRecord = await this.options.quiet.read();
      this.quietProblem = undefined;
    } catch (error) {
      const problem = (error as Error).message;
      if (this.quietProblem !== problem) this.options.note(`Could not read what quiets the services (${problem}); going by what was read last.`);
      this.quietProblem = problem;
    }
    return this.quietRecord;
  }

  private apply(service: Service, status: ServiceStatus, now: Date, quiet: QuietReason | undefined): void {
    const previous = this.beliefs.get(service.name)!;
    const {next, change} = observe(previous, status.ok, now, service.watch);
    const belief: Belief = {...next, because: change ? undefined : previous.because, quiet};
    const downDependency = service.dependsOn.find((name) => ['down', 'flapping'].includes(this.beliefs.get(name)?.state ?? ''));
    const {incidents} = this.options;
    const emit = (event: Omit<WatchEvent, 'at' | 'service' | 'previous'>) => this.options.onEvent({at: now.toISOString(), service: service.name, previous: change?.from ?? previous.state, ...event});
    const open = incidents.openFor(service.name);
    // An open incident under a silence says so (and offers no more buttons); its reminders stop.
    if (open) incidents.silenced(service.name, quiet?.kind === 'silence' ? {by: quiet.silence.who, until: new Date(quiet.silence.until).toISOString(), reason: quiet.silence.reason} : undefined);
    const decision = watchDecision({incidentOpen: Boolean(open), quietNow: Boolean(quiet), quietBefore: Boolean(previous.quiet), failing: !status.ok});

    if (decision === 'stay quiet') {
      // Checked and recorded; nothing posted, no incident: the change is said here only.
      if (change) emit({state: change.to, downMs: change.to === 'up' && change.from === 'down' ? now.getTime() - Date.parse(previous.since) : undefined, reason: change.to === 'up' ? undefined : failingChecks(status), quiet: describeQuiet(quiet!, now.getTime())});
      this.beliefs.set(service.name, belief);
      return;
    }
    if (decision === 'open now' && !downDependency) {
      // Quiet no more, and still failing: the incident opens at once, saying what it began with.
      const state = belief.state === 'flapping' ? 'flapping' : 'down';
      const since = belief.state === 'down' || belief.state === 'flapping' ? belief.since : (belief.failingSince ?? now.toISOString());
      const raised = this.kept(incidents.raise(service, state, since, status, state === 'flapping' ? belief.flips.length : undefined, beganWith(refreshed(previous.quiet!, this.quietRecord), now.getTime())));
      this.followsDeploy(service.name, raised);
      this.beliefs.set(service.name, {...belief, state, since, failures: Math.max(belief.failures, service.watch.downAfter), because: undefined});
      emit({state, incident: raised.id, reason: raised.summary});
      return;
    }

    if (change) {
      const open = incidents.openFor(service.name);
      if (change.to === 'up') {
        const resolved = this.kept(incidents.resolve(service.name, now));
        if (resolved) {
          delete this.saved.reminders[resolved.id];
          for (const [run, incident] of Object.entries(this.saved.rollbacksTold)) if (incident === resolved.id) delete this.saved.rollbacksTold[run];
        }
        emit({state: 'up', incident: resolved?.id, downMs: resolved?.durationMs ?? (change.from === 'down' ? now.getTime() - Date.parse(previous.since) : undefined)});
      } else if (!open && downDependency) {
        // Its dependency is down: that incident speaks for both.
        belief.because = downDependency;
        emit({state: change.to, because: downDependency, reason: failingChecks(status)});
      } else if (open) {
        const changed = this.kept(incidents.change(service.name, change.to, status, belief.flips.length));
        emit({state: change.to, incident: changed?.id, reason: failingChecks(status)});
      } else {
        const raised = this.kept(incidents.raise(service, change.to, belief.since, status, change.to === 'flapping' ? belief.flips.length : undefined));
        this.followsDeploy(service.name, raised);
        emit({state: change.to, incident: raised.id, reason: failingChecks(status)});
      }
    } else if (belief.because && !downDependency && (belief.state === 'down' || belief.state === 'flapping')) {
      // Its dependency is back, and it is still down: now it is an incident of its own.
      const raised = this.kept(incidents.raise(service, belief.state, now.toISOString(), status));
      this.followsDeploy(service.name, raised);
      belief.because = undefined;
      emit({state: belief.state, incident: raised.id, reason: failingChecks(status)});
    }
    this.beliefs.set(service.name, belief);
  }

  /** Incidents waiting for the channel, oldest first, within the budget; then reminders that are due. */
  private async deliver(now: Date): Promise<void> {
    const {outbox, incidents} = this.options;
    if (!this.options.delivery) return;
    const waiting: JournalEntry[] = [];
    for (const id of [...incidents.queued].sort()) {
      const entry = outbox.get(id);
      // Delivered (gone from the outbox), set aside or dropped: no longer this watcher's to send.
      if (!entry || entry.delivery?.refused || entry.delivery?.dropped) incidents.queued.delete(id);
      else waiting.push(entry);
    }
    const reminders = incidents.all().filter((entry) => this.reminderDue(entry, now));
    const rollbacks = this.rollbacksToTell();
    if (waiting.length === 0 && reminders.length === 0 && rollbacks.length === 0) return;
    const {context, close} = this.options.delivery(Date.now() + this.options.budgetMs);
    try {
      for (const entry of waiting) {
        try {
          await deliver(context, entry);
          this.adoptDelivery(entry);
        } catch (error) {
          const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
          if (refusedForGood(failure)) {
            setAside(context, outbox.get(entry.id) ?? entry, failure);
            this.options.note(`Slack refused incident ${entry.id} for good (${failure.code}); it is set aside.`, {do: 'see-outbox', then: 'retry-or-drop'});
            continue;
          }
          if (this.slackProblem !== failure.code) this.options.note(`Slack did not take the incident in time (${failure.code}); it waits in the outbox and goes out when Slack answers.`);
          this.slackProblem = failure.code;
          return;
        }
      }
      this.slackProblem = undefined;
      for (const entry of reminders) {
        const current = incidents.openFor(entry.services[0]) ?? entry;
        if (!current.delivery?.ts) continue;
        try {
          await remind(context, current, now);
          this.saved.reminders[current.id] = now.toISOString();
        } catch {
          // The next round tries again.
        }
      }
      for (const {run, incident} of rollbacks) {
        const message = rollbackThreadMessage(run);
        try {
          await context.api.call('chat.postMessage', {channel: incident.delivery!.channel, thread_ts: incident.delivery!.ts, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false});
          this.saved.rollbacksTold[run.entry] = incident.id;
        } catch {
          // The next round tries again.
        }
      }
    } finally {
      close();
    }
  }

  /** What delivery learnt (the message's channel and ts) is kept with the open incident, for its edits and reminders. */
  private adoptDelivery(entry: JournalEntry): void {
    this.options.incidents.delivered(entry);
  }

  /**
   * Silences of the watched services that ran out: the channel is told once (whichever watcher of the team does
   * it), so that a silence never ends without a word. One ended early was told by the entry that ended it.
   */
  private async tellSilencesOver(now: Date): Promise<void> {
    const {quiet, entryFor} = this.options;
    if (!quiet || !entryFor) return;
    const watched = new Set(this.order.map((service) => service.name));
    for (const silence of this.quietRecord.silences) {
      if (silence.told || silence.ended || silence.until > now.getTime() || !silence.services.some((name) => watched.has(name))) continue;
      // Told first in the shared log: a second watcher (or the next round) never says it twice.
      try {
        await quiet.told(silence.id);
      } catch {
        continue;
      }
      silence.told = true;
      const services = this.order.filter((service) => silence.services.includes(service.name));
      const span = formatSpan(silence.until - silence.from);
      const entry = entryFor(services, {
        verb: 'silence',
        args: {end: silence.id},
        summary: `${silence.services.join(', ')} no longer silenced: the silence set by ${silence.who} for ${span} is over (${silence.reason})`,
        silence: {id: silence.id, services: silence.services, from: new Date(silence.from).toISOString(), until: new Date(silence.until).toISOString(), reason: silence.reason, end: 'on time', setBy: silence.who},
      });
      try {
        this.options.incidents.record({...entry, services: silence.services, outcome: 'succeeded', endedAt: now.toISOString(), durationMs: 0, exitCode: this.options.exitCodeOf?.('succeeded')});
      } catch (error) {
        this.options.note(`Could not record that silence ${silence.id} is over (${describeFsError(error)}).`);
      }
    }
  }

  /** Rollbacks that ended while their service's incident is open (and its message posted), not yet told in its thread. */
  private rollbacksToTell(): {run: ActionRun; incident: JournalEntry}[] {
    const told: {run: ActionRun; incident: JournalEntry}[] = [];
    for (const run of this.quietRecord.actions) {
      if (run.verb !== 'rollback' || run.endedAt === undefined || this.saved.rollbacksTold[run.entry]) continue;
      const incident = this.options.incidents.openFor(run.service);
      if (incident?.delivery?.ts && incident.delivery.channel && run.endedAt >= Date.parse(incident.startedAt)) told.push({run, incident});
    }
    return told;
  }

  private reminderDue(entry: JournalEntry, now: Date): boolean {
    const service = this.order.find((candidate) => candidate.name === entry.services[0]);
    const every = service?.watch.remindMs ?? 0;
    if (every <= 0 || !entry.delivery?.ts) return false;
    // Silenced: no reminders while it lasts.
    if (entry.incident?.silenced && Date.parse(entry.incident.silenced.until) > now.getTime()) return false;
    const last = Date.parse(this.saved.reminders[entry.id] ?? entry.startedAt);
    return now.getTime() - last >= every;
  }
}

/** Services after the services they depend on (the catalog refuses cycles). */
function dependencyOrder(services: Service[], catalog: Catalog): Service[] {
  const wanted = new Set(services.map((service) => service.name));
  const ordered: Service[] = [];
  const placed = new Set<string>();
  const place = (service: Service) => {
    if (placed.has(service.name)) return;
    placed.add(service.name);
    for (const name of service.dependsOn) {
      const dependency = catalog.services.get(name);
      if (dependency && wanted.has(name)) place(dependency);
    }
    ordered.push(service);
  };
  for (const service of services) place(service);
  return ordered;
}
