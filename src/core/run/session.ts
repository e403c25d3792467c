import {loadCatalog} from '../catalog/load.js';
import {locateCatalog} from '../catalog/locate.js';
import type {Catalog, Service} from '../catalog/types.js';
import {connectHintDue} from './connect-hint.js';
import type {Note} from '../errors/remedy.js';
import {boundedDuration} from '../text/bounded-duration.js';
import {buildEntry, type Invocation} from '../entry/build.js';
import type {Entry, Outcome} from '../entry/types.js';
import type {Journal} from '../journal/journal.js';
import {openJournal, writableStateDir} from '../journal/open.js';
import {Outbox} from '../journal/outbox.js';
import {catalogSecrets} from '../catalog/secrets.js';
import {createMasker, type Mask} from '../mask/masker.js';
import {backgroundFlusher} from '../mirror/background-flush.js';
import {SlackMirror} from '../mirror/slack-mirror.js';
import {journalOnly, Recorder, type Mirror} from './recorder.js';
import type {StoredSettings} from '../settings/settings.js';
import {chooseChannel} from '../slack/channel-choice.js';
import {connection, type SlackAccess} from '../slack/connection.js';

export interface SessionOptions {
  configPath?: string;
  channel?: string;
  requireMirror?: boolean;
  env: NodeJS.ProcessEnv;
  settings: StoredSettings;
  signal: AbortSignal;
  now: () => Date;
  /** One-line notes for the user (stderr). */
  note: Note;
  /** The status the front end reports for each outcome, kept in the entry. */
  exitCodeOf?: (outcome: Outcome) => number | undefined;
  /** The workspace to use instead of the environment's token (a chat front end's own). */
  slack?: SlackAccess;
  /** How to start a process that flushes the outbox (argv), for the background flush of a backlog. */
  backgroundFlush?: string[];
  /** The catalog the front end holds, instead of reading foggy.yml. */
  catalog?: Catalog;
  /** Where the request was made from: foggy.yml is looked for from here, and the entry says so. */
  cwd: string;
}

export interface Session {
  catalog: Catalog;
  journal: Journal;
  outbox: Outbox;
  mirror: Mirror;
  recorder: Recorder;
  mask: Mask;
  /** Where an entry about these services goes, or undefined when runs stay local. */
  channelFor(services: Service[]): string | undefined;
  /** A new, running entry for an invocation about these services, stamped by the session's clock. */
  entryFor(services: Service[], invocation: Omit<Invocation, 'services' | 'channel'>): Entry;
}

/** Everything a verb needs, wired once: catalog, journal, masks, the mirror, and the recorder that ties them. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const {env, settings} = options;
  const catalog = options.catalog ?? (await loadCatalog(locateCatalog({explicit: options.configPath, env, cwd: options.cwd}), env));
  const state = writableStateDir(env);
  const journal = openJournal(env);
  const outbox = new Outbox(state);
  const mask = createMasker({env, patterns: catalog.redact, values: catalogSecrets(catalog)});
  const slack = connection({env, settings, slack: options.slack});
  const required = options.requireMirror || catalog.mirror.required;
  // Checked whether or not Slack is used: a bad setting is a mistake to hear about now.
  const budgetMs = mirrorBudget(env, catalog);

  let mirror: Mirror = journalOnly;
  if (slack) {
    mirror = new SlackMirror({
      token: slack.token,
      apiUrl: slack.apiUrl,
      budgetMs,
      required,
      journal,
      outbox,
      channels: slack.channels,
      permalinks: slack.permalinks,
      note: options.note,
      flushInBackground: backgroundFlusher(options.backgroundFlush, env, outbox.lockFile),
      interrupt: options.signal,
      debug: env.FOGGY_DEBUG ? (line) => process.stderr.write(`foggy:slack ${line}\n`) : undefined,
    });
  } else if (required) {
    mirror = {...journalOnly, required, problem: {code: 'no Slack token', remedy: {do: 'connect'}}};
  } else if (connectHintDue({stateDir: state, env, settings, now: options.now()})) {
    options.note('Runs are recorded locally only.', {do: 'connect', because: 'local_only'});
  }

  const recorder = new Recorder({journal, outbox, mirror, mask, signal: options.signal, note: options.note, now: options.now, exitCodeOf: options.exitCodeOf});
  const channelFor = (services: Service[]) => (slack ? chooseChannel({flag: options.channel, env, services, catalog, loginDefault: settings.channel}) : undefined);
  return {
    catalog,
    journal,
    outbox,
    mirror,
    recorder,
    mask,
    channelFor,
    entryFor: (services, invocation) =>
      buildEntry({...invocation, services: services.map((s) => s.name), channel: channelFor(services)}, catalog, mask, {env, cwd: options.cwd, now: options.now(), slackUser: settings.slackUser}),
  };
}

export function mirrorBudget(env: NodeJS.ProcessEnv, catalog: Catalog): number {
  if (!env.FOGGY_MIRROR_BUDGET) return catalog.mirror.budgetMs;
  return boundedDuration('FOGGY_MIRROR_BUDGET', env.FOGGY_MIRROR_BUDGET, {min: 1, hint: 'For example: FOGGY_MIRROR_BUDGET=3s'});
}
