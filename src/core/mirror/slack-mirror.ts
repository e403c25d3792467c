import type {Entry} from '../entry/types.js';
import type {Journal, JournalEntry} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import type {Mirror} from '../recorder.js';
import {loadSlackSdk, SlackApi} from '../slack/api.js';
import type {ChannelDirectory} from '../slack/channels.js';
import {SlackFailure} from '../slack/failure.js';
import {announce, deliver, type DeliveryContext} from './delivery.js';
import {flushOutbox} from './flush.js';

export interface SlackMirrorOptions {
  token: string;
  apiUrl: string;
  budgetMs: number;
  required: boolean;
  journal: Journal;
  outbox: Outbox;
  channels: ChannelDirectory;
  /** One line for the user, on stderr. */
  note: (line: string) => void;
  debug?: (line: string) => void;
}

/** How long before the budget runs out a phase stops waiting for Slack. */
const WIND_DOWN_MS = 25;

/** A sleep that a deadline's abort cuts short. */
function sleeper(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, {once: true});
    });
}

/**
 * Echoes entries into the team's channel. Every phase has a hard deadline (the budget): when it passes,
 * requests in flight are aborted and the entry simply waits in the outbox. The operation's exit code
 * never depends on anything here.
 */
export class SlackMirror implements Mirror {
  readonly required: boolean;
  private startPhase: Promise<boolean> = Promise.resolve(false);
  private readonly deliveries = new Map<string, JournalEntry['delivery']>();
  private lastProblem?: SlackFailure;

  constructor(private readonly options: SlackMirrorOptions) {
    this.required = options.required;
  }

  private startController?: AbortController;

  /** A delivery context whose requests are all aborted at `deadline`. */
  context(deadline: number, controller = new AbortController()): {context: DeliveryContext; close: () => void} {
    const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
    const api = new SlackApi({token: this.options.token, apiUrl: this.options.apiUrl, requestTimeoutMs: this.options.budgetMs, signal: controller.signal, debug: this.options.debug});
    const {journal, outbox, channels} = this.options;
    return {
      context: {api, journal, outbox, channels, deadline, sleep: sleeper(controller.signal)},
      close: () => {
        clearTimeout(timer);
        controller.abort();
      },
    };
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

  async finished(entry: Entry): Promise<void> {
    // Giving up a little early leaves time, inside the budget, to abort, record and say so.
    const deadline = Date.now() + Math.max(0, this.options.budgetMs - WIND_DOWN_MS);
    const {context, close} = this.context(deadline);
    // The start message may still be on its way (a slow channel, a fast action): it gets no longer than
    // this phase's deadline, so the mirror adds at most one budget after the action ends.
    const stopStart = setTimeout(() => this.startController?.abort(), Math.max(0, deadline - Date.now()));
    try {
      await this.startPhase;
      clearTimeout(stopStart);
      const journalEntry: JournalEntry = {...entry, delivery: this.deliveries.get(entry.id)};
      try {
        await deliver(context, journalEntry);
      } catch (error) {
        this.report(error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error)));
        return;
      }
      // Time left: deliver what earlier runs left behind.
      const flushed = await flushOutbox(context, {exclude: entry.id});
      if (flushed.delivered.length > 0) this.options.note(`Delivered ${flushed.delivered.length} waiting entr${flushed.delivered.length === 1 ? 'y' : 'ies'} from the outbox.`);
    } finally {
      clearTimeout(stopStart);
      close();
    }
  }

  /** Why the last "started" post failed, for strict mode's refusal. */
  get problem(): SlackFailure | undefined {
    return this.lastProblem;
  }

  private report(failure: SlackFailure): void {
    if (failure.kind === 'permanent') {
      const why = failure.code === 'no_channel' ? 'no channel is set (--channel, FOGGY_CHANNEL, channel: in foggy.yml, or foggy login --channel)' : failure.code;
      this.options.note(`Slack refused the entry: ${why}.${failure.hint ? ` ${failure.hint}` : ''} The entry is kept in the outbox.`);
    } else {
      this.options.note(`Slack did not take the entry in time (${failure.code}); it waits in the outbox: run "foggy outbox --flush" to deliver it.`);
    }
  }
}
