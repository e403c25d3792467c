import {Flags} from '@oclif/core';
import {parseDuration} from '../core/duration.js';
import {usageError} from '../core/errors.js';
import type {JournalEntry} from '../core/journal/journal.js';
import {creatorGone, isOrphaned} from '../core/journal/liveness.js';
import {Outbox} from '../core/journal/outbox.js';
import type {FlushProgress} from '../core/mirror/flush.js';
import {dropEntry, flushAll, retryEntry} from '../core/mirror/outbox-flush.js';
import {servicesLabel} from '../core/entry/services-label.js';
import {stateDir} from '../core/paths.js';
import {printable} from '../core/printable.js';
import {connection, type Connection} from '../core/slack/connection.js';
import {PERMANENT_HINTS} from '../core/slack/failure.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table} from '../cli/ui.js';

/** A background flush waits this long for entries that running foggy processes are still delivering. */
const BACKGROUND_LINGER_MS = 5_000;

export default class OutboxCommand extends FoggyCommand {
  static override summary = 'Show entries not yet delivered to the channel; --flush delivers them now.';
  static override description = `Entries wait here when Slack was slow or down. When a later run finds the channel answering, it starts a flush in the background; --flush delivers everything now, about one message per second per channel, as Slack allows (a backlog goes out as digest messages, each entry still readable one by one with "foggy log"). Exit 1 when entries remain (waiting or set aside) after a flush.

Entries Slack refused for good (an archived or unknown channel, a message it would not take) are set aside so they never hold up the rest: the list shows why and how to fix it; --retry ID tries one again, --drop ID removes it from the outbox (the journal keeps its record).`;
  static override flags = {
    flush: Flags.boolean({description: 'Deliver the waiting entries now.', default: false}),
    timeout: Flags.string({description: 'With --flush or --retry: how long to keep delivering.', default: '5m'}),
    retry: Flags.string({description: 'Put a set-aside entry (id or unique prefix) back in line and deliver it now.', exclusive: ['flush', 'drop']}),
    drop: Flags.string({description: 'Remove an entry (id or unique prefix) from the outbox; the journal keeps its record.', exclusive: ['flush', 'retry']}),
    background: Flags.boolean({hidden: true, default: false, description: 'Flush quietly, as started by a run that found a backlog.'}),
  };
  static override examples = ['<%= config.bin %> outbox', '<%= config.bin %> outbox --flush', '<%= config.bin %> outbox --retry mi9x3k2a1', '<%= config.bin %> outbox --drop mi9x3k2a1', '<%= config.bin %> outbox --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(OutboxCommand);
    const outbox = new Outbox(stateDir());

    if (flags.drop) {
      const entry = dropEntry(process.env, flags.drop);
      if (this.json) return this.printJson({ok: true, dropped: entry.id});
      this.ui.out(`Dropped ${entry.id} (${entry.verb} ${entry.services.join(',')}) from the outbox; the journal keeps its record.`);
      return;
    }
    if (flags.retry || flags.flush) {
      const slack = this.connected();
      const budgetMs = this.timeout(flags.timeout);
      if (flags.retry) return this.retry(slack, flags.retry, budgetMs);
      return this.flush(slack, outbox, budgetMs, flags.background);
    }

    const entries = outbox.list();
    if (outbox.skipped > 0) this.ui.note(`Skipped ${outbox.skipped} unreadable file${outbox.skipped === 1 ? '' : 's'} in ${outbox.dir} (not entries of foggy's).`);
    const waiting = entries.filter((entry) => !entry.delivery?.refused);
    const refused = entries.filter((entry) => entry.delivery?.refused);
    if (this.json) return this.printJson({entries: waiting.map((entry) => ({...entry, state: deliveryState(entry)})), setAside: refused.map((entry) => ({...entry, reason: entry.delivery!.refused!.code, fix: PERMANENT_HINTS[entry.delivery!.refused!.code]}))});
    if (entries.length === 0) {
      this.ui.note('The outbox is empty: every entry has reached the channel.');
      return;
    }
    if (waiting.length > 0) {
      const rows = waiting.map((entry) => [entry.id, entry.startedAt.replace('T', ' ').slice(0, 19), entry.verb, servicesLabel(entry.services), entry.outcome.replace('_', ' '), entry.channel ?? '-', deliveryState(entry)].map(printable));
      for (const line of table(rows, ['ID', 'STARTED (UTC)', 'VERB', 'SERVICE', 'OUTCOME', 'CHANNEL', 'STATE'])) this.ui.out(line);
    }
    if (refused.length > 0) {
      if (waiting.length > 0) this.ui.out();
      this.ui.out(`Set aside: Slack refused ${refused.length === 1 ? 'this entry' : `these ${refused.length} entries`} for good (fix the cause, then "foggy outbox --retry ID", or "--drop ID"):`);
      const rows = refused.map((entry) => [entry.id, entry.startedAt.replace('T', ' ').slice(0, 19), entry.verb, servicesLabel(entry.services), entry.channel ?? '-', entry.delivery!.refused!.code, PERMANENT_HINTS[entry.delivery!.refused!.code] ?? ''].map(printable));
      for (const line of table(rows, ['ID', 'STARTED (UTC)', 'VERB', 'SERVICE', 'CHANNEL', 'REASON', 'FIX'])) this.ui.out(line);
    }
  }

  private connected(): Connection {
    const slack = connection();
    if (!slack) throw usageError('Slack is not connected, so there is nowhere to deliver to.', 'Run "foggy login" or set FOGGY_SLACK_TOKEN.');
    return slack;
  }

  private timeout(value: string): number {
    try {
      return parseDuration(value);
    } catch (error) {
      throw usageError(`--timeout: ${(error as Error).message}`);
    }
  }

  private async retry(slack: Connection, id: string, budgetMs: number): Promise<void> {
    const result = await retryEntry(slack, process.env, id, budgetMs);
    const failure = result.failure && {code: result.failure.code, hint: result.failure.hint};
    if (this.json) this.printJson({ok: result.delivered, entry: result.entry.id, error: failure});
    else if (result.delivered) this.ui.out(`Delivered ${result.entry.id}.`);
    else this.ui.warn(`Not delivered: ${failure!.code}.${failure!.hint ? ` ${failure!.hint}` : ''}`);
    process.exitCode = result.delivered ? 0 : 1;
  }

  private async flush(slack: Connection, outbox: Outbox, budgetMs: number, background: boolean): Promise<void> {
    let lastLine = 0;
    const progress = (p: FlushProgress) => {
      // A line every couple of seconds on long flushes: enough to see it move, never a flood.
      if (background || this.json || Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      this.ui.note(`… ${p.delivered} of ${p.total} delivered in ${p.messages} message${p.messages === 1 ? '' : 's'}${p.setAside ? `, ${p.setAside} set aside` : ''}`);
    };
    const count = outbox.ids().length;
    const result = background
      ? await flushAll(slack, process.env, budgetMs, {lingerMs: BACKGROUND_LINGER_MS, paceFromStart: true})
      : await this.ui.spin(`Delivering ${count} entr${count === 1 ? 'y' : 'ies'}…`, () => flushAll(slack, process.env, budgetMs, {onProgress: progress}));
    if (background) return;
    const error = result.stoppedBy && {code: result.stoppedBy.code, hint: result.stoppedBy.hint};
    if (this.json) {
      this.printJson({delivered: result.delivered, messages: result.messages, setAside: result.setAside, remaining: result.remaining, setAsideTotal: result.setAsideTotal, busy: result.busy, error});
    } else {
      if (result.busy) this.ui.warn(`Another foggy process${result.holder ? ` (pid ${result.holder.pid})` : ''} is delivering the outbox right now; try again in a moment.`);
      this.ui.out(`Delivered ${result.delivered.length} in ${result.messages} message${result.messages === 1 ? '' : 's'}; ${result.remaining} waiting${result.setAsideTotal ? `, ${result.setAsideTotal} set aside` : ''}.`);
      if (result.setAside.length > 0) this.ui.warn(`Set aside ${result.setAside.length} that Slack refused for good (${[...new Set(result.setAside.map((s) => s.code))].join(', ')}): see "foggy outbox".`);
      if (error) this.ui.warn(`Stopped: ${error.code}.${error.hint ? ` ${error.hint}` : ''}`);
    }
    process.exitCode = result.remaining > 0 || result.setAsideTotal > 0 ? 1 : 0;
  }
}

function deliveryState(entry: JournalEntry): string {
  const steps = entry.delivery?.steps ?? [];
  if (entry.outcome === 'running' && !isOrphaned(entry)) return `in progress (pid ${entry.pid})`;
  if (!entry.delivery?.handedOver && !creatorGone(entry)) return `being delivered by its run (pid ${entry.pid})`;
  if (!steps.includes('posted')) return steps.includes('posting') || steps.includes('digesting') ? 'maybe posted: will check the channel first' : 'not posted';
  if (!steps.includes('final')) return 'posted; outcome not yet shown';
  return 'output not yet attached';
}
