import {Args, Flags} from '@oclif/core';
import {formatDuration} from '../core/text/duration.js';
import type {WatchEvent} from '../core/watch/watcher.js';
import {printable} from '../core/text/printable.js';
import {typedCommandLine} from '../cli/command-line.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {durationFlag} from '../grammar/duration-flag.js';
import {stamp} from '../cli/render/entries.js';
import {usageError} from '../core/errors/foggy-error.js';

export default class Watch extends FoggyCommand {
  static override summary = 'Watch services: an incident in the channel when one goes down, edited to green when it is back.';
  static override description = `Runs the services' status checks on a schedule (watch: {interval: 60s} in foggy.yml, per service or for all) until stopped, and prints one line per state change (--json: one JSON object per line). A service is down after down_after failed rounds in a row (default 3) and up again after up_after good ones (default 2); one that keeps changing is flapping; one whose depends_on service is down raises no alert of its own.

Each incident is an entry (verb incident): journaled, then posted once to the channel, edited in place when it is over ("down 6m12s", with the recovery in its thread), with reminders in the thread while it lasts. A restarted watcher carries on the open incidents. One watcher per state directory: a second one exits 3.

Ctrl-C or SIGTERM stops it (exit 0). --once runs one round for cron or CI: exit 0 when every service passed, 1 when one failed.`;
  static override strict = false;
  static override args = {
    service: Args.string({description: 'Services to watch (default: every service with status checks).'}),
  };
  static override flags = {
    once: Flags.boolean({description: 'Run one round and exit: 0 all up, 1 something down.', default: false}),
    interval: durationFlag({description: 'Check every service this often, instead of the catalog\'s watch.interval (e.g. 30s).', min: 1}),
    'max-rounds': Flags.integer({hidden: true, min: 1, description: 'Stop after this many rounds.'}),
    listen: Flags.string({description: 'Serve the status page (and its JSON API, badges, /healthz) on [HOST:]PORT: loopback unless a host is given (also watch.listen in foggy.yml; FOGGY_PAGE_TOKEN guards all but the badges).', helpValue: '[HOST:]PORT'}),
  };
  static override examples = ['<%= config.bin %> watch', '<%= config.bin %> watch web db --interval 30s', '<%= config.bin %> watch --once', '<%= config.bin %> watch --json'];

  override async init(): Promise<void> {
    this.trapInterrupts();
    await super.init();
  }

  async run(): Promise<void> {
    const typed = [...this.argv];
    const {argv, flags} = await this.parse(Watch);
    const listen = flags.listen ?? (flags.once ? undefined : (await this.foggy.catalog({configPath: flags.config})).listen);
    const health = {rounds: 0, lastRoundAt: undefined as string | undefined};
    const page = listen ? await this.startPage(listen, flags.config, health) : undefined;
    try {
      const result = await this.foggy.watch(
        {
          services: argv as string[],
          configPath: flags.config,
          once: flags.once,
          intervalMs: flags.interval,
          maxRounds: flags['max-rounds'],
          commandLine: typedCommandLine(this.config.bin, this.id!, typed),
          onRound: (rounds) => Object.assign(health, {rounds, lastRoundAt: new Date().toISOString()}),
        },
        (event) => (this.json ? this.ui.jsonLine(event) : this.ui.out(this.line(event))),
      );
      this.setExitCode(flags.once && result.down.length > 0 ? 1 : 0);
    } finally {
      await page?.close();
    }
  }

  /** The status page beside the watcher: the same history, read-only. */
  private async startPage(listen: string, configPath: string | undefined, health: {rounds: number; lastRoundAt?: string}): Promise<{close(): Promise<void>}> {
    const {parseListen, startPageServer} = await import('../page/server.js');
    try {
      parseListen(listen);
    } catch (error) {
      throw usageError(`--listen: ${(error as Error).message}.`, `See "${this.config.bin} watch --help".`);
    }
    const reader = await this.foggy.historyReader({configPath});
    const token = this.factory.env.FOGGY_PAGE_TOKEN?.trim() || undefined;
    let server;
    try {
      server = await startPageServer({listen, source: reader, token, health: () => ({...health}), note: (line) => this.ui.note(line)});
    } catch (error) {
      await reader.close();
      const code = (error as NodeJS.ErrnoException).code;
      throw usageError(`Cannot serve the status page on ${listen}: ${code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied (a port under 1024 needs privileges)' : code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : (error as Error).message}.`, 'Choose another port with --listen (or watch.listen in foggy.yml).');
    }
    this.ui.note(`Status page: ${server.url}${token ? ' (it needs FOGGY_PAGE_TOKEN, but for the badges)' : ''}`);
    return {close: async () => {
      await server.close();
      await reader.close();
    }};
  }

  private line(event: WatchEvent): string {
    const {color, symbols} = this.ui;
    const mark = event.state === 'up' ? symbols.ok : event.state === 'flapping' ? symbols.warn : symbols.fail;
    const state = event.state === 'up' ? color.green('up') : event.state === 'flapping' ? color.yellow('flapping') : color.red('down');
    const detail = event.because
      ? `because ${event.because} is down`
      : event.state === 'up'
        ? event.downMs !== undefined && event.previous !== 'unknown' ? `again after ${formatDuration(event.downMs)}` : ''
        : (event.reason ?? '');
    const incident = event.incident ? color.dim(` (incident ${event.incident})`) : '';
    const quiet = event.quiet ? color.dim(` (quiet: ${printable(event.quiet)}; nothing posted)`) : '';
    return `${stamp(event.at)}  ${mark} ${color.bold(printable(event.service))} ${state}${detail ? ` ${printable(detail)}` : ''}${incident}${quiet}`;
  }
}
