import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {FoggyError, inputError, usageError} from '../errors/foggy-error.js';
import {checkChannel} from '../run/input-limits.js';
import {SLACK_USER_ID} from '../mirror/message.js';
import {settingsFile, slackApiUrl, writeSettings} from '../settings/settings.js';
import {SlackApi} from '../slack/api.js';
import {ChannelDirectory, isChannelId} from '../slack/channels.js';
import {SlackFailure} from '../slack/failure.js';
import type {AppContext} from './context.js';
import type {LoginResult, LogoutResult} from './results.js';

const TIMEOUT_MS = 10_000;

export interface LoginRequest {
  token: string;
  channel?: string;
  /** The person's Slack user id, given outright. */
  slackUser?: string;
  /** Find the person by this e-mail address (users.lookupByEmail); by default, git's user.email. */
  email?: string;
  /** Do not look the person up at all. */
  noIdentity?: boolean;
}

/**
 * `foggy login`: verifies the token (auth.test) and the channel (conversations.info), finds who you are in
 * Slack (your user id, from your git e-mail unless given), and stores all of it.
 */
export async function login(app: AppContext, request: LoginRequest): Promise<LoginResult> {
  const token = request.token.trim();
  if (!/^xox[a-z]-/.test(token)) throw usageError('That does not look like a Slack token (expected xoxb-… for a bot).');
  if (request.slackUser !== undefined && !SLACK_USER_ID.test(request.slackUser)) throw inputError('slack-user', `not a Slack user id: ${JSON.stringify(request.slackUser)}`, 'A user id looks like U012AB3CD (in Slack: your profile → ⋮ → Copy member ID).');
  const api = new SlackApi({token, apiUrl: slackApiUrl(app.env), requestTimeoutMs: TIMEOUT_MS, signal: AbortSignal.timeout(TIMEOUT_MS * 3)});
  const fail = (what: string, error: unknown): never => {
    const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
    throw new FoggyError(`${what}: ${failure.code}. Nothing was saved.`, {kind: 'failed', hint: failure.hint, remedy: failure.remedy});
  };

  let auth: Record<string, unknown> = {};
  try {
    auth = await app.io.progress('Checking with Slack…', () => api.call('auth.test'));
  } catch (error) {
    fail('Slack did not accept the token', error);
  }

  let channel: string | undefined;
  if (request.channel) {
    channel = request.channel.startsWith('#') || isChannelId(request.channel) ? request.channel : `#${request.channel}`;
    checkChannel(channel);
    try {
      const id = await new ChannelDirectory(join(app.stateDir, 'channels.json')).id(channel, api);
      const info = (await api.call('conversations.info', {channel: id})).channel as {is_archived?: boolean};
      if (info.is_archived) throw new SlackFailure('permanent', 'is_archived');
    } catch (error) {
      fail(`Cannot use ${channel}`, error);
    }
  }

  const slackUser = request.noIdentity ? undefined : (request.slackUser ?? (await lookUpPerson(app, api, request.email)));
  const team = String(auth.team ?? '');
  const user = String(auth.user ?? '');
  const file = await writeSettings({token, channel, team, user, slackUser}, app.env);
  return {ok: true, team, user, channel, file, slackUser};
}

/** Your Slack user, found by e-mail; a miss is a note, never a failed login (the identity is optional). */
async function lookUpPerson(app: AppContext, api: SlackApi, given?: string): Promise<string | undefined> {
  const email = given ?? (await gitEmail(app.env));
  if (!email) return undefined;
  try {
    const result = await api.call('users.lookupByEmail', {email});
    const id = (result.user as {id?: unknown} | undefined)?.id;
    return typeof id === 'string' && SLACK_USER_ID.test(id) ? id : undefined;
  } catch (error) {
    const code = error instanceof SlackFailure ? error.code : String(error);
    const why = code === 'missing_scope' ? 'the app lacks the users:read.email scope' : code === 'users_not_found' ? `no Slack user has the address ${email}` : code;
    app.io.note(`Could not find your Slack user (${why}); entries will name you by your login. Give your Slack user id (U…) at login to set it.`);
    return undefined;
  }
}

async function gitEmail(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const {stdout} = await promisify(execFile)('git', ['config', '--get', 'user.email'], {env, timeout: 2000});
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `foggy logout`: forgets the stored token, channel and identity. */
export async function logout(app: AppContext): Promise<LogoutResult> {
  const had = Boolean(app.settings().token);
  if (had) await writeSettings(undefined, app.env);
  return {ok: true, removed: had, file: settingsFile(app.env)};
}
