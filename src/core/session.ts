import {join} from 'node:path';
import {loadCatalog} from './catalog/load.js';
import {locateCatalog} from './catalog/locate.js';
import type {Catalog, Service} from './catalog/types.js';
import {parseDuration} from './duration.js';
import {usageError} from './errors.js';
import type {Journal} from './journal/journal.js';
import {openJournal, writableStateDir} from './journal/open.js';
import {Outbox} from './journal/outbox.js';
import {catalogSecrets, createMasker, type Mask} from './mask/masker.js';
import {backgroundFlusher} from './mirror/background-flush.js';
import {SlackMirror} from './mirror/slack-mirror.js';
import {journalOnly, Recorder, type Mirror} from './recorder.js';
import {readSettingsChecked, resolveToken, slackApiUrl, type StoredSettings} from './settings/settings.js';
import {ChannelDirectory} from './slack/channels.js';

export interface SessionOptions {
  configPath?: string;
  channel?: string;
  requireMirror?: boolean;
  env?: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** One-line notes for the user (stderr). */
  note: (line: string) => void;
  /** The script that starts foggy (bin/run.js), for the background flush of a backlog. */
  entryScript?: string;
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
}

export const CONNECT_HINT = 'Runs are recorded locally only. To echo them into your team\'s Slack channel: foggy login (or set FOGGY_SLACK_TOKEN).';

/** Everything a verb needs, wired once: catalog, journal, masks, the mirror, and the recorder that ties them. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const env = options.env ?? process.env;
  const catalog = await loadCatalog(locateCatalog({explicit: options.configPath, env}), env);
  const state = writableStateDir(env);
  const journal = openJournal(env);
  const outbox = new Outbox(state);
  const mask = createMasker({env, patterns: catalog.redact, values: catalogSecrets(catalog)});
  const {settings, problem} = readSettingsChecked(env);
  if (problem) options.note(problem);
  const {token} = resolveToken(env, settings);
  const required = options.requireMirror || catalog.mirror.required;
  // Checked whether or not Slack is used: a bad setting is a mistake to hear about now.
  const budgetMs = mirrorBudget(env, catalog);

  let mirror: Mirror = journalOnly;
  if (token) {
    mirror = new SlackMirror({
      token,
      apiUrl: slackApiUrl(env),
      budgetMs,
      required,
      journal,
      outbox,
      channels: new ChannelDirectory(join(state, 'channels.json')),
      note: options.note,
      flushInBackground: backgroundFlusher(options.entryScript, env, outbox.lockFile),
      interrupt: options.signal,
      debug: env.FOGGY_DEBUG ? (line) => process.stderr.write(`foggy:slack ${line}\n`) : undefined,
    });
  } else if (required) {
    mirror = {...journalOnly, required, problem: {code: 'no Slack token', hint: 'Run "foggy login" or set FOGGY_SLACK_TOKEN.'}};
  } else {
    options.note(CONNECT_HINT);
  }

  const recorder = new Recorder({journal, outbox, mirror, mask, signal: options.signal, note: options.note});
  return {
    catalog,
    journal,
    outbox,
    mirror,
    recorder,
    mask,
    channelFor: (services) => (token ? chooseChannel(options.channel, env, services, catalog, settings) : undefined),
  };
}

/** --channel, FOGGY_CHANNEL, the services' own channel, the catalog's, then the login default. */
export function chooseChannel(flag: string | undefined, env: NodeJS.ProcessEnv, services: Service[], catalog: Catalog, settings: StoredSettings): string | undefined {
  const serviceChannels = new Set(services.map((service) => service.channel));
  const serviceChannel = serviceChannels.size === 1 ? [...serviceChannels][0] : undefined;
  return flag || env.FOGGY_CHANNEL || serviceChannel || catalog.channel || settings.channel || undefined;
}

function mirrorBudget(env: NodeJS.ProcessEnv, catalog: Catalog): number {
  if (!env.FOGGY_MIRROR_BUDGET) return catalog.mirror.budgetMs;
  try {
    return parseDuration(env.FOGGY_MIRROR_BUDGET);
  } catch {
    throw usageError(`FOGGY_MIRROR_BUDGET is not a duration: ${JSON.stringify(env.FOGGY_MIRROR_BUDGET)} (expected e.g. 500ms, 3s)`);
  }
}
