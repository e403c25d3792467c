import {chmodSync, mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {usageError} from '../errors/foggy-error.js';
import {describeFsError, remedy} from '../errors/environment.js';
import {configDir} from '../platform/paths.js';

/** Per-user settings that `foggy login` stores (through conf, mode 0600). */
export interface StoredSettings {
  token?: string;
  channel?: string;
  team?: string;
  user?: string;
  /** The person's Slack user id (foggy login), shown in entries as who ran them. */
  slackUser?: string;
  /** false: never show the "recorded locally only" hint. */
  connectHint?: boolean;
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
  return readSettingsChecked(env).settings;
}

/** The settings, and what is wrong with the file when it cannot be used (it is then ignored, as if absent). */
export function readSettingsChecked(env: NodeJS.ProcessEnv = process.env): {settings: StoredSettings; problem?: string} {
  let text: string;
  try {
    text = readFileSync(settingsFile(env), 'utf8');
  } catch {
    return {settings: {}};
  }
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return {settings: {}, problem: `${settingsFile(env)} is not JSON; it is ignored.`};
  }
  // A file holding null, a list or other shapes is as good as none: only string fields are taken.
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {settings: {}, problem: `${settingsFile(env)} does not hold settings; it is ignored.`};
  const fields = stored as Record<string, unknown>;
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    settings: {
      token: string(fields.token),
      channel: string(fields.channel),
      team: string(fields.team),
      user: string(fields.user),
      slackUser: string(fields.slackUser),
      connectHint: typeof fields.connectHint === 'boolean' ? fields.connectHint : undefined,
    },
  };
}

export async function writeSettings(settings: StoredSettings | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    return await storeSettings(settings, env);
  } catch (error) {
    throw usageError(`Cannot write foggy's config directory ${configDir(env)}: ${describeFsError(error)}. Nothing was saved.`, remedy(error, 'config'));
  }
}

async function storeSettings(settings: StoredSettings | undefined, env: NodeJS.ProcessEnv): Promise<string> {
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

/**
 * The token and where it came from. Spaces and newlines around it (a token pasted with its line end) are
 * trimmed, and `trimmed` says so (doctor reports it); spaces inside it make it no token at all: exit 2.
 */
export function resolveToken(env: NodeJS.ProcessEnv = process.env, stored = readSettings(env)): {token?: string; source: TokenSource; trimmed?: boolean} {
  const [raw, source]: [string | undefined, TokenSource] = env.FOGGY_SLACK_TOKEN
    ? [env.FOGGY_SLACK_TOKEN, 'FOGGY_SLACK_TOKEN']
    : env.SLACK_BOT_TOKEN
      ? [env.SLACK_BOT_TOKEN, 'SLACK_BOT_TOKEN']
      : stored.token
        ? [stored.token, 'login']
        : [undefined, 'none'];
  if (raw === undefined) return {source};
  const token = raw.trim();
  const where = source === 'login' ? settingsFile(env) : source;
  if (!token) return {source: 'none'};
  if (/\s/.test(token)) throw usageError(`The Slack token in ${where} has spaces or line breaks inside it.`, 'Set it to the bot token alone (xoxb-…), with nothing around it.');
  return {token, source, trimmed: token !== raw};
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

export function slackApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.FOGGY_SLACK_API_URL || DEFAULT_SLACK_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`FOGGY_SLACK_API_URL is not a URL: ${JSON.stringify(url)}`, `Expected an http(s) URL such as ${DEFAULT_SLACK_API_URL}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw usageError(`FOGGY_SLACK_API_URL must be an http(s) URL, not ${parsed.protocol}`, `Expected an http(s) URL such as ${DEFAULT_SLACK_API_URL}`);
  return url.endsWith('/') ? url : `${url}/`;
}
