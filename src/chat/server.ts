import {hostname} from 'node:os';
import {join} from 'node:path';
import {createFoggy, type Foggy} from '../core/app/foggy.js';
import type {AppIo} from '../core/app/io.js';
import type {Catalog} from '../core/catalog/types.js';
import {formatDuration} from '../core/text/duration.js';
import {FoggyError, usageError} from '../core/errors/foggy-error.js';
import type {Outcome} from '../core/entry/types.js';
import {writableStateDir} from '../core/journal/open.js';
import type {HeldLock} from '../core/locks/pid-lock.js';
import {holdSingleInstance} from '../core/locks/single-instance.js';
import {foggyPlaces} from '../core/platform/paths.js';
import {connection} from '../core/slack/connection.js';
import {botIdentity, SlackApp, SlackRefused, type SlackIdentity} from './bolt-app.js';
import {ChatFront} from './dispatch.js';
import type {ServeEvent} from './types.js';
import {localMemory, type ChatMemory} from './memory/memory.js';
import {coordinationOf} from '../core/coordination/settings.js';
import {UserGroups} from './user-groups.js';

export interface ServerOptions {
  env: NodeJS.ProcessEnv;
  /** Where foggy.yml is looked for (unless configPath names it). */
  cwd: string;
  configPath?: string;
  /** How to start a process that flushes the outbox (argv), as for every front end. */
  backgroundFlush?: string[];
  /** The status a shell would report for each outcome, kept in the entries as every front end's are. */
  exitCodeOf?: (outcome: Outcome) => number | undefined;
  /** One line per command, and the server's own news: text or JSON, as the front end chose. */
  log(event: ServeEvent | {at: string; kind: 'server'; level: string; message: string}): void;
}

/**
 * foggy serve's life: the catalog held (and swapped on reload), one server per state directory, the
 * memory of triggers and confirmations, the connection to Slack, and a stop that lets runs finish.
 */
export class ChatServer {
  private catalog!: Catalog;
  private front!: ChatFront;
  private app!: SlackApp;
  private lock?: HeldLock;
  private memory?: ChatMemory;
  identity!: SlackIdentity;

  constructor(private readonly options: ServerOptions) {}

  private say(level: string, message: string): void {
    if (level === 'debug' && !this.options.env.FOGGY_DEBUG) return;
    this.options.log({at: new Date().toISOString(), kind: 'server', level, message});
  }

  /** Everything checked before connecting: tokens, catalog, state directory; then connected. */
  async start(): Promise<void> {
    const {env} = this.options;
    const slack = connection({env});
    if (!slack) throw usageError('foggy serve needs the bot token: FOGGY_SLACK_TOKEN (xoxb-…), or one stored by logging in.', {do: 'connect'});
    const appToken = (env.FOGGY_SLACK_APP_TOKEN ?? '').trim();
    if (!appToken) throw usageError('foggy serve needs the app-level token: FOGGY_SLACK_APP_TOKEN (xapp-…).', 'In the app\'s settings: Basic Information → App-Level Tokens → Generate, with the connections:write scope.');
    if (!appToken.startsWith('xapp-')) throw usageError('FOGGY_SLACK_APP_TOKEN is not an app-level token (it starts with xapp-).', 'The bot token (xoxb-…) goes in FOGGY_SLACK_TOKEN; the app-level token is under Basic Information → App-Level Tokens.');

    this.catalog = await this.loader().catalog({configPath: this.options.configPath});
    const stateDir = writableStateDir(env);
    const state = join(stateDir, 'serve');
    this.lock = holdSingleInstance(stateDir, 'serve');
    try {
      this.memory = await this.openMemory(state);
      const slackOptions = {botToken: slack.token, appToken, apiUrl: slack.apiUrl, say: (level: 'info' | 'warn' | 'error' | 'debug', line: string) => this.say(level, line)};
      this.identity = await botIdentity(slackOptions).catch((error: unknown) => {
        throw slackFailure(error, 'the bot token (FOGGY_SLACK_TOKEN)');
      });
      this.app = new SlackApp(slackOptions, this.identity);
      const groups = new UserGroups((group) => this.app.groupMembers(group));
      this.front = new ChatFront({
        appTeam: this.identity.team,
        catalog: () => this.catalog,
        foggyFor: (who, signal) => createFoggy({env, cwd: this.options.cwd, io: this.io(), signal, who, catalog: () => this.catalog, backgroundFlush: this.options.backgroundFlush, exitCodeOf: this.options.exitCodeOf}),
        slack: this.app.side(),
        members: groups.members,
        seen: this.memory.seen,
        confirmations: this.memory.confirmations,
        log: (event) => this.options.log(event),
        host: hostname(),
        places: foggyPlaces(env),
      });
      await this.front.resume();
      await this.app.start(this.front).catch((error: unknown) => {
        throw error instanceof SlackRefused ? usageError(`${error.message}.`, 'Check FOGGY_SLACK_APP_TOKEN: an app-level token with the connections:write scope, and Socket Mode on in the app\'s settings.') : error;
      });
    } catch (error) {
      await this.memory?.close();
      this.lock.release();
      throw error;
    }
    this.say('info', `answering ${this.identity.teamName} as <@${this.identity.botUser}>: /foggy and mentions; ${this.catalog.services.size} services from ${this.catalog.file}`);
  }

  /** SIGHUP: foggy.yml read again; a catalog that does not load leaves the one in use in place. */
  async reload(): Promise<void> {
    try {
      const next = await this.loader().catalog({configPath: this.options.configPath});
      this.catalog = next;
      this.say('info', `reloaded ${next.file}: ${next.services.size} services`);
    } catch (error) {
      this.say('error', `kept the catalog in use: ${(error as Error).message.split('\n')[0]}`);
    }
  }

  /** SIGTERM/SIGINT: no new commands; running ones get the grace period, then are interrupted and recorded. */
  async stop(graceMs: number): Promise<void> {
    const running = this.front?.inFlight ?? 0;
    this.say('info', running > 0 ? `stopping: waiting up to ${formatDuration(graceMs)} for ${running} running command${running === 1 ? '' : 's'}` : 'stopping');
    await this.app?.stop();
    const {interrupted} = (await this.front?.stop(graceMs)) ?? {interrupted: false};
    if (interrupted) this.say('warn', 'interrupted what was still running after the grace period; recorded as interrupted');
    await this.memory?.close();
    this.lock?.release();
    this.say('info', 'stopped');
  }

  /**
   * Where deliveries and confirmations are remembered: the state directory, or the team's database when
   * coordination is on (shared by every foggy serve of the team). A database away at start is an exit 1 (a
   * service manager tries again), unless coordination.fallback is local.
   */
  private async openMemory(state: string): Promise<ChatMemory> {
    const coordination = coordinationOf(this.options.env, this.catalog);
    if (coordination.kind === 'local') return localMemory(state);
    try {
      const {sharedMemory} = await import('./memory/postgres.js');
      const memory = await sharedMemory(coordination);
      this.say('info', `sharing deliveries and confirmations with the team's other foggy serve through ${coordination.shown}`);
      return memory;
    } catch (error) {
      if (coordination.fallback === 'local') {
        this.say('warn', `${(error as Error).message}; remembering in this machine's state directory instead (coordination.fallback: local)`);
        return localMemory(state);
      }
      throw new FoggyError(`${(error as Error).message}.`, {kind: 'failed', hint: 'foggy serve shares what it ran with the team\'s other servers there; it starts again once the database answers.'});
    }
  }

  /** A second signal while stopping: what runs is interrupted now (and still recorded). */
  hurry(): void {
    this.say('warn', 'interrupting what is still running');
    this.front?.hurry();
  }

  /** The use cases with the catalog read from the file (start and reload). */
  private loader(): Foggy {
    return createFoggy({env: this.options.env, cwd: this.options.cwd, io: this.io()});
  }

  /** What a use case says while running from chat: the server's log (an action's output stays in its entry). */
  private io(): AppIo {
    return {
      note: (line) => this.say('debug', line),
      warn: (line) => this.say('warn', line),
      output: () => {},
      ask: async () => undefined,
      progress: (_text, work) => work(),
    };
  }
}

function slackFailure(error: unknown, what: string): FoggyError {
  const code = (error as {data?: {error?: string}}).data?.error;
  if (code) return new FoggyError(`Slack refused ${what}: ${code}.`, {kind: 'usage', remedy: {do: 'check-setup'}});
  return new FoggyError(`Cannot reach Slack to check ${what}: ${(error as Error).message}.`, {kind: 'failed', hint: 'Check the network (and FOGGY_SLACK_API_URL, when set); a service manager restarts foggy serve.'});
}
