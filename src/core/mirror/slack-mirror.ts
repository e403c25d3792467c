import type {Entry} from '../entry/types.js';
import type {Journal, JournalEntry} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import type {Note} from '../errors/remedy.js';
import type {Mirror, Posted} from '../run/recorder.js';
import {loadSlackSdk, SlackApi} from '../slack/api.js';
import type {ChannelDirectory} from '../slack/channels.js';
import {messageLink, type PermalinkBook} from '../slack/permalinks.js';
import {SlackFailure} from '../slack/failure.js';
import {openDeliveryContext} from './delivery-context.js';
import {announce, deliver, setAside, type DeliveryContext} from './delivery.js';
import {refusedForGood} from './flush.js';

export interface SlackMirrorOptions {
  token: string;
  apiUrl: string;
  budgetMs: number;
  required: boolean;
  journal: Journal;
  outbox: Outbox;
  channels: ChannelDirectory;
  /** Where this workspace's message links start, once known: a run's link costs no round trip. */
  permalinks?: PermalinkBook;
  /** One line for the user, on stderr. */
  note: Note;
  /**
   * Starts delivering what earlier runs left in the outbox, off this run's path (a detached process):
   * a run never spends its own time on the backlog.
   */
  flushInBackground?: () => void;
  /** SIGINT/SIGTERM: every Slack request stops at once, and the entry waits in the outbox. */
  interrupt?: AbortSignal;
  debug?: (line: string) => void;
}

/** How long before the budget runs out a phase stops waiting for Slack. */
const WIND_DOWN_MS = 25;


/**
 * Echoes this run's entry into the team's channel. Every phase has a hard deadline (the budget): when it
 * passes, requests in flight are aborted and the entry waits in the outbox, handed over to whichever
 * process flushes next. The operation's exit code never depends on anything here.
 */
export class SlackMirror implements Mirror {
  readonly required: boolean;
  private startPhase: Promise<boolean> = Promise.resolve(false);
  private readonly deliveries = new Map<string, JournalEntry['delivery']>();
  private lastProblem?: SlackFailure;
  private startController?: AbortController;

  constructor(private readonly options: SlackMirrorOptions) {
    this.required = options.required;
  }

  /** A delivery context whose requests are all aborted at `deadline` (or on Ctrl-C). */
  context(deadline: number, controller?: AbortController): {context: DeliveryContext; close: () => void} {
    const {token, apiUrl, budgetMs, debug, journal, outbox, channels, interrupt} = this.options;
    return openDeliveryContext({api: (signal) => new SlackApi({token, apiUrl, requestTimeoutMs: budgetMs, signal, debug}), journal, outbox, channels, deadline, interrupt, controller});
  }

  prepare(): void {
    // A failure to load surfaces, classified, at the first call; here it must not be unhandled.
    loadSlackSdk().catch(() => {});
  }

  started(entry: Entry): Promise<boolean> {
    this.startController = new AbortController();
    const {context, close} = this.context(Date.now() + this.options.budgetMs, this.startController);
    const journalEntry: JournalEntry = {...entry};
    this.startPhase = announce(context, journalEntry)
      .then(() => true)
      .catch((error: unknown) => {
        this.lastProblem = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
        return false;
      })
      .finally(() => {
        this.deliveries.set(entry.id, journalEntry.delivery);
        close();
      });
    return this.startPhase;
  }

  async finished(entry: Entry): Promise<Posted | undefined> {
    // Giving up a little early leaves time, inside the budget, to abort, record and say so.
    const deadline = Date.now() + Math.max(0, this.options.budgetMs - WIND_DOWN_MS);
    const {context, close} = this.context(deadline);
    // The start message may still be on its way (a slow channel, a fast action): it gets no longer than
    // this phase's deadline, so the mirror adds at most one budget after the action ends.
    const stopStart = setTimeout(() => this.startController?.abort(), Math.max(0, deadline - Date.now()));
    let reachable = true;
    let posted: Posted | undefined;
    try {
      await this.startPhase;
      clearTimeout(stopStart);
      const journalEntry: JournalEntry = {...entry, delivery: this.deliveries.get(entry.id)};
      try {
        await deliver(context, journalEntry);
        posted = await permalinkOf(context, journalEntry, this.options.permalinks);
      } catch (error) {
        const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
        reachable = refusedForGood(failure);
        if (refusedForGood(failure) && entry.channel) setAside(context, this.options.outbox.get(entry.id) ?? journalEntry, failure);
        this.report(failure);
      }
    } finally {
      clearTimeout(stopStart);
      close();
      // This run is done with its entry: from now on, whoever flushes may deliver it.
      this.options.outbox.handOver(entry.id);
    }
    // The channel answers: the backlog (if any) goes out now, in a process of its own.
    if (reachable && this.options.flushInBackground && this.options.outbox.ids().some((id) => id !== entry.id)) this.options.flushInBackground();
    return posted;
  }

  /** Why the last "started" post failed, for strict mode's refusal. */
  get problem(): SlackFailure | undefined {
    return this.lastProblem;
  }

  private report(failure: SlackFailure): void {
    if (failure.kind === 'permanent') {
      const why = failure.code === 'no_channel' ? 'no channel is set (for the run, in FOGGY_CHANNEL, as channel: in foggy.yml, or saved at login)' : failure.code;
      const kept = failure.code === 'no_channel' ? 'It is recorded in the local journal.' : refusedForGood(failure) ? 'The entry is set aside in the outbox.' : 'The entry is kept in the outbox.';
      const remedies = [failure.remedy, refusedForGood(failure) && failure.code !== 'no_channel' ? ({do: 'see-outbox', then: 'retry-or-drop'} as const) : undefined].filter((remedy) => remedy !== undefined);
      this.options.note(`Slack refused the entry: ${why}.${failure.hint ? ` ${failure.hint}` : ''} ${kept}`, ...remedies);
    } else {
      this.options.note(`Slack did not take the entry in time (${failure.code}); it waits in the outbox, and goes out with a later run.`, {do: 'see-outbox', then: 'flush-now'});
    }
  }
}

/** Where the entry's message is, with its link when there is time left to learn it. */
async function permalinkOf(context: DeliveryContext, entry: JournalEntry, book?: PermalinkBook): Promise<Posted | undefined> {
  const {channel, ts} = entry.delivery ?? {};
  if (!channel || !ts) return undefined;
  if (Date.now() >= context.deadline) return {channel, ts, permalink: book?.link(channel, ts)};
  return {channel, ts, permalink: await messageLink(context.api, channel, ts, book)};
}
