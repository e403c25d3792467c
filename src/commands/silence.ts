import type {SilenceDryRun, SilenceList, SilenceResult} from '../core/app/results.js';
import {VerbCommand} from '../cli/verb-command.js';
import {renderSilence, renderSilences} from '../cli/render/silence.js';
import {silenceAsk, silenceGrammar} from '../grammar/verbs.js';

export default class Silence extends VerbCommand {
  static override summary = 'Silence services for a while (the watcher keeps checking, posts nothing), list the silences, or end one.';
  static override description = `foggy silence SERVICE... --for 1h --reason "db migration" sets a silence: the watcher goes on checking and recording the services, but posts nothing and opens no incident until it ends. A reason is required; it lasts from 1 minute to 7 days (--for, or --until a time). It is an entry like any run: recorded, and said in the channel. When it ends, on time or early, the channel is told, and a service still down then gets its incident at once.

Without arguments, lists the silences in force (who, why, until, how long left). --end ID ends one now.

Deploys, restarts and rollbacks quiet the watcher by themselves (while they run, and for watch.grace_after_action after one succeeds), and so do the maintenance windows of foggy.yml (watch.maintenance).`;
  static override strict = silenceGrammar.strict;
  static override args = silenceGrammar.args;
  static override flags = silenceGrammar.flags;
  static override examples = [
    '<%= config.bin %> silence db --for 1h --reason "db migration"',
    '<%= config.bin %> silence web api --until 2026-12-07T06:00 --reason "datacenter move"',
    '<%= config.bin %> silence',
    '<%= config.bin %> silence --end mi9x3k2a1',
  ];

  async run(): Promise<SilenceResult | SilenceDryRun | SilenceList> {
    const parsed = await this.parse(Silence);
    const ask = silenceAsk({argv: parsed.argv as string[], flags: parsed.flags}, this.frontEnd(parsed.flags));
    if (ask.kind === 'list') {
      const result = await this.foggy.silences({configPath: parsed.flags.config});
      if (this.json) this.printJson(result);
      else renderSilences(this.ui, result, Date.now());
      return result;
    }
    const result = ask.kind === 'end' ? await this.foggy.endSilence(ask.request) : await this.foggy.silence(ask.request);
    if (this.json) this.printJson(result);
    else renderSilence(this.ui, result);
    if (!('dryRun' in result) && !result.ok) this.setExitCode(1);
    return result;
  }
}
