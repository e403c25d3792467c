import {FoggyError} from './errors.js';
import {checkChannel} from './limits.js';
import {ExitCode} from './exit-codes.js';
import {slackApiUrl, writeSettings} from './settings/settings.js';
import {SlackApi} from './slack/api.js';
import {ChannelDirectory, isChannelId} from './slack/channels.js';
import {SlackFailure} from './slack/failure.js';
import {join} from 'node:path';
import {stateDir} from './paths.js';

const TIMEOUT_MS = 10_000;

export interface LoginResult {
  team: string;
  user: string;
  channel?: string;
  channelId?: string;
  file: string;
}

/** Verifies a token (auth.test) and a channel (conversations.info) with Slack, then stores both. */
export async function login(options: {token: string; channel?: string; env?: NodeJS.ProcessEnv}): Promise<LoginResult> {
  const env = options.env ?? process.env;
  const token = options.token.trim();
  if (!/^xox[a-z]-/.test(token)) throw new FoggyError('That does not look like a Slack token (expected xoxb-… for a bot).', {exitCode: ExitCode.usage});
  const api = new SlackApi({token, apiUrl: slackApiUrl(env), requestTimeoutMs: TIMEOUT_MS, signal: AbortSignal.timeout(TIMEOUT_MS * 2)});
  const fail = (what: string, error: unknown): never => {
    const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
    throw new FoggyError(`${what}: ${failure.code}. Nothing was saved.`, {exitCode: ExitCode.failed, hint: failure.hint});
  };

  let auth: Record<string, unknown> = {};
  try {
    auth = await api.call('auth.test');
  } catch (error) {
    fail('Slack did not accept the token', error);
  }

  let channelId: string | undefined;
  if (options.channel) {
    const channel = options.channel.startsWith('#') || isChannelId(options.channel) ? options.channel : `#${options.channel}`;
    checkChannel(channel);
    try {
      channelId = await new ChannelDirectory(join(stateDir(env), 'channels.json')).id(channel, api);
      const info = (await api.call('conversations.info', {channel: channelId})).channel as {is_archived?: boolean};
      if (info.is_archived) throw new SlackFailure('permanent', 'is_archived');
    } catch (error) {
      fail(`Cannot use ${channel}`, error);
    }
    options.channel = channel;
  }

  const file = await writeSettings({token, channel: options.channel, team: String(auth.team ?? ''), user: String(auth.user ?? '')}, env);
  return {team: String(auth.team ?? ''), user: String(auth.user ?? ''), channel: options.channel, channelId, file};
}
