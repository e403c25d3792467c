import {join} from 'node:path';
import type {Catalog, Service} from '../catalog/types.js';
import {stateDir} from '../platform/paths.js';
import {readSettings, resolveToken, slackApiUrl, type StoredSettings, type TokenSource} from '../settings/settings.js';
import {SlackApi} from './api.js';
import {chooseChannel} from './channel-choice.js';
import {ChannelDirectory} from './channels.js';
import {PermalinkBook} from './permalinks.js';

/** What foggy needs to talk to Slack: token, API URL, channel. */
export interface Connection {
  token: string;
  source: TokenSource;
  /** Spaces or a line break around the token were dropped. */
  trimmed: boolean;
  apiUrl: string;
  channel?: string;
  channels: ChannelDirectory;
  /** Where this workspace's message links start, once learnt. */
  permalinks: PermalinkBook;
  api(timeoutMs: number, signal?: AbortSignal): SlackApi;
}

/** A workspace given by the front end itself (a chat front end's own token), instead of the environment's. */
export interface SlackAccess {
  token: string;
  apiUrl?: string;
}

export interface ConnectionOptions {
  env?: NodeJS.ProcessEnv;
  channel?: string;
  catalog?: Catalog;
  services?: Service[];
  settings?: StoredSettings;
  slack?: SlackAccess;
}

/** The connection, or undefined when no token is configured. The channel is chosen as for every use case. */
export function connection(options: ConnectionOptions = {}): Connection | undefined {
  const env = options.env ?? process.env;
  const settings = options.settings ?? readSettings(env);
  const {token, source, trimmed} = options.slack ? {token: options.slack.token, source: 'FOGGY_SLACK_TOKEN' as const, trimmed: false} : resolveToken(env, settings);
  if (!token) return undefined;
  const apiUrl = options.slack?.apiUrl ?? slackApiUrl(env);
  return {
    token,
    source,
    trimmed: trimmed ?? false,
    apiUrl,
    channel: chooseChannel({flag: options.channel, env, services: options.services, catalog: options.catalog, loginDefault: settings.channel}),
    channels: new ChannelDirectory(join(stateDir(env), 'channels.json')),
    permalinks: new PermalinkBook(join(stateDir(env), 'permalinks.json'), token),
    api: (timeoutMs, signal) => new SlackApi({token, apiUrl, requestTimeoutMs: timeoutMs, signal}),
  };
}

/** Scopes foggy uses, and what each is for (doctor checks them; slack/manifest.yml grants them). */
export const SCOPES: {scope: string; for: string; required: boolean}[] = [
  {scope: 'chat:write', for: 'post and update entries', required: true},
  {scope: 'chat:write.public', for: 'post to public channels the bot has not joined', required: false},
  {scope: 'files:write', for: 'attach long outputs', required: true},
  {scope: 'channels:history', for: 'foggy log, and exactly-once delivery in public channels', required: true},
  {scope: 'groups:history', for: 'the same in private channels', required: false},
  {scope: 'channels:read', for: 'find a #channel by name', required: true},
  {scope: 'groups:read', for: 'find a private #channel by name', required: false},
  {scope: 'users:read.email', for: 'foggy login finding your Slack user from your git e-mail', required: false},
];

/** What foggy serve needs besides: its slash command, mentions, user groups in the rules, names of people. */
export const SERVE_SCOPES: {scope: string; for: string; onlyWithGroups?: boolean}[] = [
  {scope: 'commands', for: 'the /foggy slash command'},
  {scope: 'app_mentions:read', for: '"@foggy status web"'},
  {scope: 'users:read', for: 'the name of who mentioned it'},
  {scope: 'usergroups:read', for: 'user groups (S…) in the chat rules', onlyWithGroups: true},
];
