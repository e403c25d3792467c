import {join} from 'node:path';
import type {Catalog} from '../catalog/types.js';
import {stateDir} from '../paths.js';
import {readSettings, resolveToken, slackApiUrl, type TokenSource} from '../settings/settings.js';
import {SlackApi} from './api.js';
import {ChannelDirectory} from './channels.js';

/** What foggy needs to talk to Slack outside a verb: token, API URL, channel. */
export interface Connection {
  token: string;
  source: TokenSource;
  /** Spaces or a line break around the token were dropped. */
  trimmed: boolean;
  apiUrl: string;
  channel?: string;
  channels: ChannelDirectory;
  api(timeoutMs: number, signal?: AbortSignal): SlackApi;
}

/** The connection, or undefined when no token is configured. Channel: flag, FOGGY_CHANNEL, catalog, login default. */
export function connection(options: {env?: NodeJS.ProcessEnv; channel?: string; catalog?: Catalog} = {}): Connection | undefined {
  const env = options.env ?? process.env;
  const settings = readSettings(env);
  const {token, source, trimmed} = resolveToken(env, settings);
  if (!token) return undefined;
  const apiUrl = slackApiUrl(env);
  return {
    token,
    source,
    trimmed: trimmed ?? false,
    apiUrl,
    channel: options.channel || env.FOGGY_CHANNEL || options.catalog?.channel || settings.channel || undefined,
    channels: new ChannelDirectory(join(stateDir(env), 'channels.json')),
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
];
