import {Flags} from '@oclif/core';
import {servicesLabel} from '../core/entry/services-label.js';
import type {FlushProgress} from '../core/mirror/flush.js';
import {printable} from '../core/text/printable.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {durationFlag} from '../grammar/duration-flag.js';
import {table} from '../cli/ui.js';
import {errorShown, outboxOutput} from '../cli/outputs.js';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export default class OutboxCommand extends FoggyCommand {
  static override summary = 'Show entries not yet delivered to the channel; --flush delivers them now.';
  static override description = `Entries wait here when Slack was slow or down. When a later run finds the channel answering, it starts a flush in the background; --flush delivers everything now, about one message per second per channel, as Slack allows (a backlog goes out as digest messages, each entry still readable one by one with "foggy log"). Exit 1 when entries remain (waiting or set aside) after a flush.

Entries Slack refused for good (an archived or unknown channel, a message it would not take) are set aside so they never hold up the rest: the list shows why and how to fix it; --retry ID tries one again, --drop ID removes it from the outbox (the journal keeps its record).`;
  static override flags = {
    flush: Flags.boolean({description: 'Deliver the waiting entries now.', default: false}),
    timeout: durationFlag({description: 'With --flush or --retry: how long to keep delivering (default 5m).', min: 1}),
    retry: Flags.string({description: 'Put a set-aside entry (id or unique prefix) back in line and deliver it now.', exclusive: ['flush', 'drop']}),
    drop: Flags.string({description: 'Remove an entry (id or unique prefix) from the outbox; the journal keeps its record.', exclusive: ['flush', 'retry']}),
    background: Flags.boolean({hidden: true, default: false, description: 'Flush quietly, as started by a run that found a backlog.'}),
  };
  static override examples = ['<%= config.bin %> outbox', '<%= config.bin %> outbox --flush', '<%= config.bin %> outbox --retry mi9x3k2a1', '<%= config.bin %> outbox --drop mi9x3k2a1', '<%= config.bin %> outbox --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(OutboxCommand);
    if (flags.drop) {
      const result = await this.foggy.dropOutboxEntry({id: flags.drop});
      if (this.json) return this.printJson({ok: result.ok, dropped: result.dropped});
      this.ui.out(`Dropped ${result.entry.id} (${result.entry.verb} ${result.entry.services.join(',')}) from the outbox; the journal keeps its record.`);
      return;
    }
    const timeoutMs = flags.timeout ?? DEFAULT_TIMEOUT_MS;
    if (flags.retry) return this.retry(flags.retry, timeoutMs);
    if (flags.flush) return this.flush(timeoutMs, flags.background);

    const {skipped, dir, ...listed} = await this.foggy.outbox();
    const result = outboxOutput(listed);
    if (skipped > 0) this.ui.note(`Skipped ${skipped} unreadable file${skipped === 1 ? '' : 's'} in ${dir} (not entries of foggy's).`);
    if (this.json) return this.printJson(result);
    const {entries: waiting, setAside: refused} = result;
    if (waiting.length === 0 && refused.length === 0) {
      this.ui.note('The outbox is empty: every entry has reached the channel.');
      return;
    }
    if (waiting.length > 0) {
      const rows = waiting.map((entry) => [entry.id, entry.startedAt.replace('T', ' ').slice(0, 19), entry.verb, servicesLabel(entry.services), entry.outcome.replace('_', ' '), entry.channel ?? '-', entry.state].map(printable));
      for (const line of table(rows, ['ID', 'STARTED (UTC)', 'VERB', 'SERVICE', 'OUTCOME', 'CHANNEL', 'STATE'])) this.ui.out(line);
    }
    if (refused.length > 0) {
      if (waiting.length > 0) this.ui.out();
      this.ui.out(`Set aside: Slack refused ${refused.length === 1 ? 'this entry' : `these ${refused.length} entries`} for good (fix the cause, then "foggy outbox --retry ID", or "--drop ID"):`);
      const rows = refused.map((entry) => [entry.id, entry.startedAt.replace('T', ' ').slice(0, 19), entry.verb, servicesLabel(entry.services), entry.channel ?? '-', entry.reason, entry.fix ?? ''].map(printable));
      for (const line of table(rows, ['ID', 'STARTED (UTC)', 'VERB', 'SERVICE', 'CHANNEL', 'REASON', 'FIX'])) this.ui.out(line);
    }
  }

  private async retry(id: string, timeoutMs: number): Promise<void> {
    const retried = await this.foggy.retryOutboxEntry({id, timeoutMs});
    const result = {...retried, error: errorShown(retried.error)};
    if (this.json) this.printJson(result);
    else if (result.ok) this.ui.out(`Delivered ${result.entry}.`);
    else this.ui.warn(`Not delivered: ${result.error?.code}.${result.error?.hint ? ` ${result.error.hint}` : ''}`);
    this.setExitCode(result.ok ? 0 : 1);
  }

  private async flush(timeoutMs: number, background: boolean): Promise<void> {
    let lastLine = 0;
    const onProgress = (p: FlushProgress) => {
      // A line every couple of seconds on long flushes: enough to see it move, never a flood.
      if (this.json || Date.now() - lastLine < 2000) return;
      lastLine = Date.now();
      this.ui.note(`… ${p.delivered} of ${p.total} delivered in ${p.messages} message${p.messages === 1 ? '' : 's'}${p.setAside ? `, ${p.setAside} set aside` : ''}`);
    };
    if (background) {
      await this.foggy.flushOutbox({timeoutMs, background});
      return;
    }
    const count = (await this.foggy.outbox()).entries.length;
    const {holder, ...flushed} = await this.ui.spin(`Delivering ${count} entr${count === 1 ? 'y' : 'ies'}…`, () => this.foggy.flushOutbox({timeoutMs, onProgress}));
    const result = {...flushed, error: errorShown(flushed.error)};
    if (this.json) {
      this.printJson(result);
    } else {
      if (result.busy) this.ui.warn(`Another foggy process${holder ? ` (pid ${holder.pid})` : ''} is delivering the outbox right now; try again in a moment.`);
      this.ui.out(`Delivered ${result.delivered.length} in ${result.messages} message${result.messages === 1 ? '' : 's'}; ${result.remaining} waiting${result.setAsideTotal ? `, ${result.setAsideTotal} set aside` : ''}.`);
      if (result.setAside.length > 0) this.ui.warn(`Set aside ${result.setAside.length} that Slack refused for good (${[...new Set(result.setAside.map((s) => s.code))].join(', ')}): see "foggy outbox".`);
      if (result.error) this.ui.warn(`Stopped: ${result.error.code}.${result.error.hint ? ` ${result.error.hint}` : ''}`);
    }
    this.setExitCode(result.remaining > 0 || result.setAsideTotal > 0 ? 1 : 0);
  }
}
