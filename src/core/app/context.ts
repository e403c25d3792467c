import {loadCatalog} from '../catalog/load.js';
import {locateCatalog} from '../catalog/locate.js';
import type {Catalog, Service} from '../catalog/types.js';
import {FoggyError} from '../errors/foggy-error.js';
import {checkChannel, checkText, MAX_REASON_LENGTH} from '../run/input-limits.js';
import {stateDir} from '../platform/paths.js';
import type {Session} from '../run/session.js';
import {readSettingsChecked, type StoredSettings} from '../settings/settings.js';
import {connection, type Connection, type SlackAccess} from '../slack/connection.js';
import type {Outcome, Where, Who} from '../entry/types.js';
import type {AppIo} from './io.js';

/** What a front end hands to foggy's use cases: nothing is read from the process behind their back. */
export interface FoggyDeps {
  env: NodeJS.ProcessEnv;
  /** The working directory the request was made from: where foggy.yml is looked for (default: the process's). */
  cwd?: string;
  io: AppIo;
  /** The status the front end reports for each outcome (a shell's exit code), kept in the entries it records. */
  exitCodeOf?: (outcome: Outcome) => number | undefined;
  /** Aborted on SIGINT/SIGTERM (or when a chat front end's request is cancelled). */
  signal?: AbortSignal;
  now?: () => Date;
  /** The workspace to use instead of the token and API URL of the environment and settings. */
  slack?: SlackAccess;
  /** Who runs it, when the front end knows better than the environment (a chat front end's Slack user). */
  who?: Who;
  /** How to start a process that flushes the outbox (argv), so that a backlog drains off the run's path. */
  backgroundFlush?: string[];
  /**
   * The catalog, when the front end holds one (a server that reloads it on a signal, so that what it
   * authorises and what runs come from the same file); else each use case reads foggy.yml.
   */
  catalog?: () => Catalog;
}

/** Options every verb request shares. */
export interface VerbOptions {
  configPath?: string;
  channel?: string;
  reason?: string;
  requireMirror?: boolean;
  /** What was typed, as the front end shows it: the entry's command line. */
  commandLine: string;
  /** Where it comes from, when the front end knows (a chat channel); else this machine's terminal or CI job. */
  where?: Where;
}

/**
 * The one composition root: settings, catalog, channel choice and the Slack connection, each worked out
 * the same way for every use case.
 */
export class AppContext {
  readonly env: NodeJS.ProcessEnv;
  readonly io: AppIo;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly cwd: string;
  private checked?: {settings: StoredSettings; problem?: string};
  private reported = false;

  constructor(readonly deps: FoggyDeps) {
    this.env = deps.env;
    this.io = deps.io;
    this.signal = deps.signal ?? new AbortController().signal;
    this.now = deps.now ?? (() => new Date());
    this.cwd = deps.cwd ?? process.cwd();
  }

  get stateDir(): string {
    return stateDir(this.env);
  }

  /** The stored settings; a broken file is reported once (unless the caller reports it itself) and treated as absent. */
  settings(): StoredSettings {
    const checked = (this.checked ??= readSettingsChecked(this.env));
    if (checked.problem && !this.reported) {
      this.reported = true;
      this.io.note(checked.problem, {do: 'rewrite-settings'});
    }
    return checked.settings;
  }

  /** What is wrong with the settings file, for a caller that reports it its own way (doctor). */
  get settingsProblem(): string | undefined {
    this.reported = true;
    return (this.checked ??= readSettingsChecked(this.env)).problem;
  }

  async catalog(configPath?: string): Promise<Catalog> {
    if (this.deps.catalog) return this.deps.catalog();
    return loadCatalog(locateCatalog({explicit: configPath, env: this.env, cwd: this.cwd}), this.env);
  }

  /** The catalog when there is one: an explicit one must load; one merely found nearby may be absent. */
  async optionalCatalog(configPath?: string): Promise<Catalog | undefined> {
    if (configPath || this.env.FOGGY_CONFIG) return this.catalog(configPath);
    try {
      return await this.catalog();
    } catch {
      return undefined;
    }
  }

  /** Slack, with the channel chosen as for a verb about these services; undefined when not connected. */
  connection(options: {channel?: string; catalog?: Catalog; services?: Service[]} = {}): Connection | undefined {
    checkChannel(options.channel);
    return connection({env: this.env, settings: this.settings(), slack: this.deps.slack, ...options});
  }

  /** The session a verb runs in (checked input first: nothing is recorded for a request that is not valid). */
  async session(options: VerbOptions): Promise<Session> {
    checkChannel(options.channel);
    checkChannel(this.env.FOGGY_CHANNEL || undefined, 'FOGGY_CHANNEL');
    checkText(options.reason, 'reason', MAX_REASON_LENGTH);
    // Loaded here, not with the context: the masks and the mirror are the verbs' business, not log's or doctor's.
    const {openSession} = await import('../run/session.js');
    const session = await openSession({
      ...options,
      env: this.env,
      settings: this.settings(),
      signal: this.signal,
      now: this.now,
      note: (line, ...remedies) => this.io.note(line, ...remedies),
      slack: this.deps.slack,
      backgroundFlush: this.deps.backgroundFlush,
      catalog: this.deps.catalog?.(),
      cwd: this.cwd,
      exitCodeOf: this.deps.exitCodeOf,
    });
    // Interrupted while the catalog loaded: stop here, before anything runs.
    if (this.signal.aborted) throw new FoggyError('Interrupted before anything ran.', {kind: 'interrupted'});
    return session;
  }
}
