import {Args, Flags} from '@oclif/core';
import {formatDuration} from '../core/duration.js';
import type {JournalEntry} from '../core/journal/journal.js';
import {Journal} from '../core/journal/journal.js';
import {withLiveness} from '../core/journal/liveness.js';
import {stateDir} from '../core/paths.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table, type Ui} from '../cli/ui.js';

export default class Log extends FoggyCommand {
  static override summary = 'Show recorded runs, newest first.';
  static override description = 'Reads the entries back from the local journal: when, who, where, verb, service, outcome and duration.';
  static override args = {
    service: Args.string({description: 'Only entries about this service.'}),
  };
  static override flags = {
    limit: Flags.integer({char: 'n', description: 'How many entries to show.', default: 20, min: 1}),
  };
  static override examples = ['<%= config.bin %> log', '<%= config.bin %> log web --limit 5', '<%= config.bin %> log --json'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Log);
    const journal = new Journal(stateDir());
    const entries = journal
      .entries()
      .filter((entry) => args.service === undefined || entry.services.includes(args.service))
      .reverse()
      .slice(0, flags.limit)
      .map((entry) => withLiveness(entry));

    if (this.json) return this.printJson({source: 'journal', entries});
    if (entries.length === 0) {
      this.ui.note(`No entries yet${args.service ? ` for ${args.service}` : ''} in ${journal.file}.`);
      return;
    }
    for (const line of table(entries.map((entry) => row(this.ui, entry)), ['WHEN', 'WHO', 'WHERE', 'VERB', 'SERVICE', 'OUTCOME', 'DURATION'])) {
      this.ui.out(line);
    }
  }
}

function row(ui: Ui, entry: JournalEntry): string[] {
  const when = new Date(entry.startedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
  const outcomeColor = entry.outcome === 'succeeded' ? ui.color.green : entry.outcome === 'running' ? ui.color.cyan : ui.color.red;
  return [
    stamp,
    `${entry.who.user}@${entry.who.host}`,
    entry.where.kind === 'ci' ? (entry.where.ci?.name ?? 'CI') : 'terminal',
    entry.verb,
    entry.services.join(',') || '-',
    outcomeColor(entry.outcome.replace('_', ' ')),
    entry.durationMs === undefined ? '-' : formatDuration(entry.durationMs),
  ];
}
