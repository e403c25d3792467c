import {Flags} from '@oclif/core';
import {parseDuration} from '../core/duration.js';
import {usageError} from '../core/errors.js';
import type {JournalEntry} from '../core/journal/journal.js';
import {isOrphaned} from '../core/journal/liveness.js';
import {Outbox} from '../core/journal/outbox.js';
import {flushAll} from '../core/mirror/outbox-flush.js';
import {stateDir} from '../core/paths.js';
import {connection} from '../core/slack/connection.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table} from '../cli/ui.js';

export default class OutboxCommand extends FoggyCommand {
  static override summary = 'Show entries not yet delivered to the channel; --flush delivers them now.';
  static override description =
    'Entries wait here when Slack was slow, down or refused them. Every foggy run retries them within its time budget; --flush delivers them all now, about one message per second per channel, as Slack allows. Exit 1 when entries remain after a flush.';
  static override flags = {
    flush: Flags.boolean({description: 'Deliver the waiting entries now.', default: false}),
    timeout: Flags.string({description: 'With --flush: how long to keep delivering.', default: '5m'}),
  };
  static override examples = ['<%= config.bin %> outbox', '<%= config.bin %> outbox --flush', '<%= config.bin %> outbox --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(OutboxCommand);
    const state = stateDir();
    const outbox = new Outbox(state);

    if (flags.flush) {
      const slack = connection();
      if (!slack) throw usageError('Slack is not connected, so there is nowhere to deliver to.', 'Run "foggy login" or set FOGGY_SLACK_TOKEN.');
      let budgetMs: number;
      try {
        budgetMs = parseDuration(flags.timeout);
      } catch (error) {
        throw usageError(`--timeout: ${(error as Error).message}`);
      }
      const result = await this.ui.spin(`Delivering ${outbox.list().length} entries…`, () => flushAll(slack, state, budgetMs));
      if (this.json) {
        this.printJson({delivered: result.delivered, remaining: result.remaining, busy: result.busy, error: result.stoppedBy && {code: result.stoppedBy.code, hint: result.stoppedBy.hint}});
      } else {
        if (result.busy) this.ui.warn('Another foggy process is delivering the outbox right now; try again in a moment.');
        this.ui.out(`Delivered ${result.delivered.length}; ${result.remaining} waiting.`);
        if (result.stoppedBy) this.ui.warn(`Stopped: ${result.stoppedBy.code}.${result.stoppedBy.hint ? ` ${result.stoppedBy.hint}` : ''}`);
      }
      process.exitCode = result.remaining > 0 ? 1 : 0;
      return;
    }

    const entries = outbox.list();
    if (this.json) return this.printJson({entries: entries.map((entry) => ({...entry, state: deliveryState(entry)}))});
    if (entries.length === 0) {
      this.ui.note('The outbox is empty: every entry has reached the channel.');
      return;
    }
    const rows = entries.map((entry) => [entry.id, entry.startedAt.replace('T', ' ').slice(0, 19), entry.verb, entry.services.join(','), entry.outcome.replace('_', ' '), entry.channel ?? '-', deliveryState(entry)]);
    for (const line of table(rows, ['ID', 'STARTED (UTC)', 'VERB', 'SERVICE', 'OUTCOME', 'CHANNEL', 'STATE'])) this.ui.out(line);
  }
}

function deliveryState(entry: JournalEntry): string {
  const steps = entry.delivery?.steps ?? [];
  if (entry.outcome === 'running' && !isOrphaned(entry)) return `in progress (pid ${entry.pid})`;
  if (!steps.includes('posted')) return steps.includes('posting') ? 'maybe posted: will check the channel first' : 'not posted';
  if (!steps.includes('final')) return 'posted; outcome not yet shown';
  return 'output not yet attached';
}
