import {chmodSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {configDir} from '../paths.js';

/** Per-user settings that `foggy login` stores (through conf, mode 0600). */
export interface StoredSettings {
  token?: string;
  channel?: string;
  team?: string;
  user?: string;
}

export const SETTINGS_FILE_NAME = 'config.json';

export function settingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), SETTINGS_FILE_NAME);
}

/**
 * Reads the settings on the hot path with one readFileSync: conf (and its schema validator)
 * is loaded only by the commands that write them.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): StoredSettings {
  try {
    return JSON.parse(readFileSync(settingsFile(env), 'utf8')) as StoredSettings;
  } catch {
    return {};
  }
}

export async function writeSettings(settings: StoredSettings | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const {default: Conf} = await import('conf');
  // conf creates the directory with the umask's mode; a token's directory is the user's alone.
  mkdirSync(configDir(env), {recursive: true, mode: 0o700});
  chmodSync(configDir(env), 0o700);
  const store = new Conf<StoredSettings>({projectName: 'foggy', cwd: configDir(env), configName: 'config', configFileMode: 0o600});
  if (settings === undefined) store.clear();
  else store.set(Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)));
  return store.path;
}

export type TokenSource = 'FOGGY_SLACK_TOKEN' | 'SLACK_BOT_TOKEN' | 'login' | 'none';

export function resolveToken(env: NodeJS.ProcessEnv = process.env, stored = readSettings(env)): {token?: string; source: TokenSource} {
  if (env.FOGGY_SLACK_TOKEN) return {token: env.FOGGY_SLACK_TOKEN, source: 'FOGGY_SLACK_TOKEN'};
  if (env.SLACK_BOT_TOKEN) return {token: env.SLACK_BOT_TOKEN, source: 'SLACK_BOT_TOKEN'};
  if (stored.token) return {token: stored.token, source: 'login'};
  return {source: 'none'};
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export function slackApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.FOGGY_SLACK_API_URL || DEFAULT_SLACK_API_URL;
  return url.endsWith('/') ? url : `${url}/`;
}
