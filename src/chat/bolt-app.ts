import type {App, Logger, SocketModeReceiver} from '@slack/bolt';
import {WebClient} from '@slack/web-api';
import type {ChatMessage} from './messages.js';
import {APPROVE_ACTION, CANCEL_ACTION} from './messages.js';
import {SILENCE_BUTTONS} from '../core/mirror/incident-message.js';
import {ROLLBACK_ACTION} from '../core/mirror/rollback-message.js';
import type {ChatFront} from './dispatch.js';
import type {ButtonClick, ChatPerson, SlackSide} from './types.js';

/**
 * Slack's side of foggy serve: Bolt over Socket Mode (no public URL), turning slash commands, mentions and
 * button clicks into the chat front end's plain commands and clicks. Every delivery is acknowledged first,
 * at once, and the work runs after: Slack wants an answer within 3 seconds and redelivers without one.
 */

export interface SlackAppOptions {
  botToken: string;
  appToken: string;
  /** The Web API base (https://slack.com/api/), used for apps.connections.open too. */
  apiUrl?: string;
  /** Lines about the connection (connected, lost, reconnecting) and Bolt's own warnings. */
  say(level: 'info' | 'warn' | 'error' | 'debug', line: string): void;
}

export interface SlackIdentity {
  team: string;
  teamName: string;
  botUser: string;
  botId: string;
}

/** Reconnecting after a lost connection: quick at first, then backing off to this, with jitter. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 30_000;

/** The bot's identity (auth.test): whose workspace, and which user the bot is (for mentions of it). */
export async function botIdentity(options: SlackAppOptions): Promise<SlackIdentity> {
  const client = new WebClient(options.botToken, {slackApiUrl: options.apiUrl, retryConfig: {retries: 2, maxTimeout: 2000}, logger: quietLogger(options)});
  const auth = await client.auth.test();
  return {team: String(auth.team_id), teamName: String(auth.team ?? auth.team_id), botUser: String(auth.user_id), botId: String(auth.bot_id ?? '')};
}

export class SlackApp {
  private app!: App;
  private receiver!: SocketModeReceiver;
  private stopping = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly names = new Map<string, string | undefined>();

  constructor(
    private readonly options: SlackAppOptions,
    private readonly identity: SlackIdentity,
  ) {}

  /** The Web API calls the front end makes, on the bot's token. */
  side(): SlackSide {
    return {
      ephemeral: (target, message) => this.ephemeral(target, message),
      post: async (channel, message) => {
        const posted = await this.app.client.chat.postMessage({channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false});
        return {channel: String(posted.channel), ts: String(posted.ts)};
      },
      update: async (target, message) => {
        await this.app.client.chat.update({channel: target.channel, ts: target.ts, text: message.text, blocks: message.blocks as never, ...(message.metadata ? {metadata: message.metadata as never} : {})});
      },
      metadataOf: async (target) => {
        const history = await this.app.client.conversations.history({channel: target.channel, latest: target.ts, oldest: target.ts, inclusive: true, limit: 1, include_all_metadata: true});
        const message = (history.messages ?? []).find((m) => m.ts === target.ts) as {metadata?: {event_payload?: Record<string, unknown>}} | undefined;
        return message?.metadata?.event_payload;
      },
    };
  }

  async groupMembers(group: string): Promise<string[]> {
    const result = await this.app.client.usergroups.users.list({usergroup: group});
    return (result.users ?? []) as string[];
  }

  /** Loads Bolt (only foggy serve pays for it), wires the listeners to the front end, and connects. */
  async start(front: ChatFront): Promise<void> {
    const bolt = await import('@slack/bolt');
    const logger = quietLogger(this.options);
    const clientOptions = {slackApiUrl: this.options.apiUrl, retryConfig: {retries: 2, maxTimeout: 2000}};
    this.receiver = new bolt.SocketModeReceiver({
      appToken: this.options.appToken,
      logger,
      // foggy reconnects itself, with backoff from a quarter second: the client's own waits 5 s at once.
      autoReconnectEnabled: false,
      // apps.connections.open is retried by the reconnect loop below, not by the client for minutes on end.
      installerOptions: {clientOptions: {slackApiUrl: this.options.apiUrl, retryConfig: {retries: 0}}},
      customPropertiesExtractor: (args) => ({envelopeId: (args as {envelope_id?: string}).envelope_id}),
    });
    this.app = new bolt.App({
      token: this.options.botToken,
      botId: this.identity.botId,
      botUserId: this.identity.botUser,
      tokenVerificationEnabled: false,
      receiver: this.receiver,
      logger,
      clientOptions,
      // Bolt's conversation store keeps state per conversation forever; foggy keeps its own.
      convoStore: false,
    });
    this.listen(front);
    this.receiver.client.on('disconnected', () => this.reconnectLater());
    this.receiver.client.on('connected', () => {
      this.failures = 0;
      this.options.say('info', 'connected to Slack (Socket Mode)');
    });
    await this.connect();
  }

  private listen(front: ChatFront): void {
    const app = this.app;
    app.command(/.*/, async ({command, ack, context}) => {
      await ack();
      void front.command({
        ids: idsOf(context),
        person: {user: command.user_id, team: command.team_id, name: command.user_name},
        channel: command.channel_id,
        prefix: command.command,
        text: command.text ?? '',
        responseUrl: command.response_url,
      });
    });
    app.event('app_mention', async ({event, body, context}) => {
      // Acknowledged by Bolt before this listener runs (events carry no answer).
      const text = textAfterMention(event.text ?? '', this.identity.botUser);
      const team = (event as {user_team?: string}).user_team ?? (event as {team?: string}).team ?? (body as {team_id?: string}).team_id ?? '';
      const user = event.user ?? '';
      void front.command({
        ids: [...idsOf(context), ...((body as {event_id?: string}).event_id ? [`event:${(body as {event_id: string}).event_id}`] : [])],
        person: {user, team, name: await this.nameOf(user)},
        channel: event.channel,
        prefix: '@foggy',
        text,
      });
    });
    for (const actionId of [APPROVE_ACTION, CANCEL_ACTION]) {
      app.action(actionId, async ({ack, body, action, context}) => {
        await ack();
        const payload = body as {user: {id: string; team_id?: string; name?: string; username?: string}; team?: {id: string} | null; channel?: {id: string}; container?: {channel_id?: string; message_ts?: string}; response_url?: string};
        const person: ChatPerson = {user: payload.user.id, team: payload.user.team_id ?? payload.team?.id ?? '', name: payload.user.name ?? payload.user.username};
        void front.click({
          ids: idsOf(context),
          person,
          action: actionId === APPROVE_ACTION ? 'approve' : 'cancel',
          confirmation: String((action as {value?: string}).value ?? ''),
          channel: payload.channel?.id ?? payload.container?.channel_id ?? '',
          responseUrl: payload.response_url,
          message: payload.container?.channel_id && payload.container.message_ts ? {channel: payload.container.channel_id, ts: payload.container.message_ts} : undefined,
        });
      });
    }
    // Buttons on foggy's own messages: silence an incident, roll back a deploy.
    const buttons = [...SILENCE_BUTTONS.map((button) => ({actionId: button.actionId, handle: (click: ButtonClick) => front.silenceClick(click)})), {actionId: ROLLBACK_ACTION, handle: (click: ButtonClick) => front.rollbackClick(click)}];
    for (const button of buttons) {
      app.action(button.actionId, async ({ack, body, action, context}) => {
        await ack();
        const payload = body as {user: {id: string; team_id?: string; name?: string; username?: string}; team?: {id: string} | null; channel?: {id: string}; container?: {channel_id?: string; message_ts?: string}; response_url?: string; message?: {ts?: string; text?: string; blocks?: Record<string, unknown>[]; metadata?: {event_type?: string; event_payload?: Record<string, unknown>}}};
        const channel = payload.channel?.id ?? payload.container?.channel_id ?? '';
        const ts = payload.container?.message_ts ?? payload.message?.ts;
        void button.handle({
          ids: idsOf(context),
          person: {user: payload.user.id, team: payload.user.team_id ?? payload.team?.id ?? '', name: payload.user.name ?? payload.user.username},
          value: String((action as {value?: string}).value ?? ''),
          channel,
          responseUrl: payload.response_url,
          message: ts ? {channel, ts, text: payload.message?.text, blocks: payload.message?.blocks, metadata: payload.message?.metadata} : undefined,
        });
      });
    }
    app.error(async (error) => {
      this.options.say('error', `Slack listener failed: ${error.message}`);
    });
  }

  /** Connects, and keeps trying with backoff while Slack cannot be reached; a refused token is final. */
  private async connect(): Promise<void> {
    for (;;) {
      try {
        await this.receiver.client.start();
        return;
      } catch (error) {
        const code = (error as {data?: {error?: string}}).data?.error;
        if (code && FINAL.has(code)) throw new SlackRefused(code);
        if (this.stopping) return;
        const wait = this.nextWait();
        this.options.say('warn', `cannot reach Slack (${code ?? (error as Error).message}); trying again in ${(wait / 1000).toFixed(1)}s`);
        await new Promise((resolve) => {
          this.reconnectTimer = setTimeout(resolve, wait);
        });
        if (this.stopping) return;
      }
    }
  }

  private reconnectLater(): void {
    if (this.stopping || this.reconnectTimer) return;
    const wait = this.nextWait();
    this.options.say('warn', `connection to Slack lost; reconnecting in ${(wait / 1000).toFixed(1)}s`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((error: unknown) => this.options.say('error', `cannot reconnect: ${(error as Error).message}`));
    }, wait);
  }

  private nextWait(): number {
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.failures);
    this.failures += 1;
    // Full jitter: many servers cut off at once do not all come back at the same instant.
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /** Takes no more deliveries: the socket closes (what is running goes on, in the front end). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const client = this.receiver?.client;
    if (!client) return;
    await client.disconnect().catch(() => {});
  }

  private async ephemeral(target: {channel: string; user: string; responseUrl?: string}, message: ChatMessage): Promise<void> {
    if (target.responseUrl) {
      // A response_url answers in place, even where the bot is not a member (up to 5 times in 30 minutes).
      const response = await fetch(target.responseUrl, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks}),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.ok) return;
    }
    await this.app.client.chat.postEphemeral({channel: target.channel, user: target.user, text: message.text, blocks: message.blocks as never});
  }

  /** A person's display name, for reading only (mentions carry none); cached, and never fatal. */
  private async nameOf(user: string): Promise<string | undefined> {
    if (this.names.has(user)) return this.names.get(user);
    let name: string | undefined;
    try {
      const info = await this.app.client.users.info({user});
      name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || undefined;
    } catch {
      name = undefined;
    }
    if (this.names.size > 10_000) this.names.clear();
    this.names.set(user, name);
    return name;
  }
}

/** Errors of apps.connections.open that no retry mends. */
const FINAL = new Set(['invalid_auth', 'not_authed', 'not_allowed_token_type', 'account_inactive', 'token_revoked', 'invalid_token']);

export class SlackRefused extends Error {
  constructor(readonly code: string) {
    super(`Slack refused the app token (${code})`);
  }
}

function idsOf(context: Record<string, unknown>): string[] {
  return typeof context.envelopeId === 'string' ? [`envelope:${context.envelopeId}`] : [];
}

/** "<@UFOGGY> deploy web" → "deploy web": what follows the first mention of the bot. */
export function textAfterMention(text: string, botUser: string): string {
  const mention = new RegExp(`<@${botUser}(\\|[^>]*)?>`);
  const match = mention.exec(text);
  return (match ? text.slice(match.index + match[0].length) : text).trim();
}

function quietLogger(options: SlackAppOptions): Logger {
  let level = 'info';
  return {
    debug: (...parts: unknown[]) => options.say('debug', parts.map(String).join(' ')),
    info: (...parts: unknown[]) => options.say('debug', parts.map(String).join(' ')),
    warn: (...parts: unknown[]) => options.say('debug', parts.map(String).join(' ')),
    error: (...parts: unknown[]) => options.say('warn', parts.map(String).join(' ')),
    setLevel: (value: string) => {
      level = value;
    },
    getLevel: () => level,
    setName: () => {},
  } as unknown as Logger;
}
