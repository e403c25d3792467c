import {randomUUID} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {SocketModeServer} from './socket-mode.js';

/**
 * A loopback imitation of the Slack Web API: real sockets, Slack's wire format (form-encoded requests,
 * JSON-encoded objects inside them, Bearer auth, ok:false errors with HTTP 200, 429 with Retry-After),
 * its limits (blocks, text length, metadata), threads, updates, history with metadata, paging, and the
 * three-step external file upload. Faults are injected per method.
 */

export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: {type: string; text?: {text: string}; elements?: {text: string}[]}[];
  metadata?: {event_type: string; event_payload: Record<string, unknown>};
  thread_ts?: string;
  edited?: boolean;
  /** Who posted it, as Slack reports it in history: a bot's messages carry its bot id. */
  bot_id?: string;
  user?: string;
  files?: {id: string; name: string; title: string; size: number; content: Buffer}[];
}

export interface Channel {
  id: string;
  name: string;
  isMember: boolean;
  isPrivate: boolean;
  isArchived: boolean;
}

export type Fault =
  | {kind: 'status'; status: number; retryAfter?: number}
  | {kind: 'error'; error: string; /** Store the message first, then answer the error (fatal_error after a write). */ afterWrite?: boolean}
  | {kind: 'drop'; afterWrite?: boolean}
  | {kind: 'slow'; ms: number; afterWrite?: boolean};

export interface RecordedCall {
  method: string;
  args: Record<string, string>;
  token?: string;
  at: number;
  status: number;
  error?: string;
}

const SECTION_LIMIT = 3000;
const TEXT_LIMIT = 40_000;
/** chat.update refuses a longer text (msg_too_long). */
const UPDATE_TEXT_LIMIT = 4000;
/** All blocks together, as JSON: past it, msg_blocks_too_long. */
const BLOCKS_LIMIT = 12_000;
/** The metadata as JSON: past it, metadata_too_large. */
export const METADATA_LIMIT = 8000;

export const ALL_SCOPES = ['chat:write', 'chat:write.public', 'files:write', 'channels:history', 'groups:history', 'channels:read', 'groups:read', 'users:read', 'users:read.email', 'commands', 'app_mentions:read', 'usergroups:read'];

export const APP_TOKEN = 'xapp-1-A0FOGGY01-1234567890-test';
export const TEAM = 'T0HELLO01';

/** What foggy answered only one person: by chat.postEphemeral, or through a response_url. */
export interface Ephemeral {
  via: 'chat.postEphemeral' | 'response_url';
  channel?: string;
  user?: string;
  text: string;
  blocks?: unknown[];
  at: number;
}

/** A person of the workspace (users.info). */
export interface Person {
  name: string;
  displayName?: string;
  team?: string;
}

export interface Identity {
  scopes: string[];
  botId?: string;
  userId?: string;
}
const EVENT_TYPE = /^[a-zA-Z0-9_-]+$/;

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly channels: Channel[] = [
    {id: 'C0OPS00001', name: 'ops', isMember: true, isPrivate: false, isArchived: false},
    {id: 'C0PUBLIC02', name: 'public-not-member', isMember: false, isPrivate: false, isArchived: false},
    {id: 'C0ARCHIVE3', name: 'old-ops', isMember: true, isPrivate: false, isArchived: true},
    {id: 'G0PRIVATE4', name: 'private-ops', isMember: true, isPrivate: true, isArchived: false},
  ];
  readonly messages: StoredMessage[] = [];
  /** People of the workspace, by e-mail address (users.lookupByEmail). */
  users = new Map<string, string>([['alice@example.com', 'U0ALICE01']]);
  tokens = new Map<string, Identity>([['xoxb-test-token-0001', {scopes: ALL_SCOPES, botId: 'B0FOGGY01', userId: 'U0FOGGY01'}]]);
  /** Reject more than this many chat.postMessage calls per channel within `rateWindowMs` (0: no limit). */
  rateLimitPerSecond = 0;
  /** The rate limit's window; Retry-After says, in whole seconds, when the oldest post leaves it. */
  rateWindowMs = 1000;
  /** Count refused attempts in the window too, as a strict limiter does: retrying early only makes it worse. */
  rateCountsRefused = false;
  /** Every request waits this long first (network latency). */
  latencyMs = 0;
  /** Accept connections but never answer. */
  hanging = false;
  /** Requests that `hanging` has left unanswered: a test waits on them rather than on the clock. */
  held = 0;
  /** App-level tokens (xapp-): good for apps.connections.open only, as Slack's are. */
  appTokens = new Set([APP_TOKEN]);
  readonly socketMode = new SocketModeServer();
  readonly ephemerals: Ephemeral[] = [];
  /** User groups and their members (usergroups.users.list). */
  groups = new Map<string, string[]>();
  people = new Map<string, Person>([
    ['U0ALICE01', {name: 'alice', displayName: 'Alice'}],
    ['U0BOB0001', {name: 'bob', displayName: 'Bob'}],
    ['U0CAROL01', {name: 'carol', displayName: 'Carol'}],
  ]);
  private responseUrls = 0;
  private readonly faults = new Map<string, Fault[]>();
  private readonly uploads = new Map<string, {filename: string; length: number; content?: Buffer}>();
  private readonly postsByChannel = new Map<string, number[]>();
  private clock = 0;
  private sequence = 0;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.socketMode.attach(this.server);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Fully down: the port refuses connections. */
  async stop(): Promise<void> {
    this.socketMode.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  fail(method: string, fault: Fault, times = 1): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** The faults still waiting for a method: gone. */
  heal(method: string): void {
    this.faults.delete(method);
  }

  channel(idOrName: string): Channel | undefined {
    const name = idOrName.replace(/^#/, '');
    return this.channels.find((c) => c.id === idOrName || c.name === name);
  }

  /** Top-level messages of a channel, oldest first. */
  posts(channel = 'C0OPS00001'): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.thread_ts);
  }

  replies(ts: string): StoredMessage[] {
    return this.messages.filter((m) => m.thread_ts === ts);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Everything any request carried, for "nothing secret left the machine" checks. */
  everythingReceived(): string {
    return this.calls.map((c) => JSON.stringify(c.args)).join('\n') + this.messages.flatMap((m) => m.files ?? []).map((f) => f.content.toString('utf8')).join('\n');
  }

  /** Slack's ts: seconds since the epoch, and a unique fraction, increasing. */
  private nextTs(): string {
    this.sequence += 1;
    this.clock = Math.max(this.clock, Math.floor(Date.now() / 1000));
    return `${this.clock}.${String(this.sequence).padStart(6, '0')}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (this.hanging) {
      this.held += 1;
      return; // never answered
    }
    const body = await readBody(request);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const url = new URL(request.url ?? '/', 'http://localhost');

    if (url.pathname.startsWith('/upload/')) return this.receiveUpload(url.pathname.slice(8), body, request, response);
    if (url.pathname.startsWith('/respond/')) return this.receiveResponse(body, response);

    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(body, request.headers['content-type'] ?? '');
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
    const call: RecordedCall = {method, args, token, at: Date.now(), status: 200};
    this.calls.push(call);

    const fault = this.faults.get(method)?.shift();
    const send = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
      call.status = status;
      if (payload.ok === false) call.error = String(payload.error);
      response.writeHead(status, {'content-type': 'application/json; charset=utf-8', ...headers});
      response.end(JSON.stringify(payload));
    };

    if (fault && !('afterWrite' in fault && fault.afterWrite)) {
      if (fault.kind === 'status') return send(fault.status, fault.status === 429 ? {ok: false, error: 'ratelimited'} : {ok: false, error: 'server_error'}, fault.retryAfter === undefined ? {} : {'retry-after': String(fault.retryAfter)});
      if (fault.kind === 'error') return send(200, {ok: false, error: fault.error});
      if (fault.kind === 'drop') return void request.socket.destroy();
      if (fault.kind === 'slow') await sleep(fault.ms);
    }

    if (!token) return send(200, {ok: false, error: 'not_authed'});
    // Each kind of token is good for its own calls: an app-level token opens connections, and nothing else.
    if (this.appTokens.has(token)) {
      if (method !== 'apps.connections.open') return send(200, {ok: false, error: 'not_allowed_token_type'});
      return send(200, {ok: true, url: this.socketMode.openTicket(this.port)});
    }
    const auth = this.tokens.get(token);
    if (!auth) return send(200, {ok: false, error: 'invalid_auth'});
    if (method === 'apps.connections.open') return send(200, {ok: false, error: 'not_allowed_token_type'});

    if (method === 'chat.postMessage' && this.rateLimitPerSecond > 0) {
      const key = this.channel(args.channel ?? '')?.id ?? args.channel;
      const recent = (this.postsByChannel.get(key) ?? []).filter((at) => Date.now() - at < this.rateWindowMs);
      if (recent.length >= this.rateLimitPerSecond) {
        if (this.rateCountsRefused) this.postsByChannel.set(key, [...recent, Date.now()]);
        const retryAfter = Math.max(1, Math.ceil((recent[0] + this.rateWindowMs - Date.now()) / 1000));
        return send(429, {ok: false, error: 'ratelimited'}, {'retry-after': String(retryAfter)});
      }
      this.postsByChannel.set(key, [...recent, Date.now()]);
    }

    const result = this.dispatch(method, args, auth);
    const headers: Record<string, string> = method === 'auth.test' ? {'x-oauth-scopes': auth.scopes.join(',')} : {};

    if (fault && 'afterWrite' in fault && fault.afterWrite) {
      if (fault.kind === 'error') return send(200, {ok: false, error: fault.error});
      if (fault.kind === 'drop') return void request.socket.destroy();
      if (fault.kind === 'slow') await sleep(fault.ms);
    }
    send(200, result, headers);
  }

  private dispatch(method: string, args: Record<string, string>, identity: Identity): Record<string, unknown> {
    const scopes = identity.scopes;
    const need = (scope: string) => (scopes.includes(scope) ? undefined : {ok: false, error: 'missing_scope', needed: scope, provided: scopes.join(',')});
    switch (method) {
      case 'auth.test': {
        return {ok: true, url: 'https://hello.slack.test/', team: 'Hello World', user: 'foggy', team_id: TEAM, user_id: identity.userId, bot_id: identity.botId};
      }
      case 'chat.postEphemeral': {
        const problem = need('chat:write');
        if (problem) return problem;
        const channel = this.channel(args.channel ?? '');
        if (!channel) return {ok: false, error: 'channel_not_found'};
        if (!args.user) return {ok: false, error: 'user_not_in_channel'};
        const checked = checkMessage(args, TEXT_LIMIT);
        if ('error' in checked) return {ok: false, error: checked.error};
        this.ephemerals.push({via: 'chat.postEphemeral', channel: channel.id, user: args.user, text: args.text ?? '', blocks: checked.blocks, at: Date.now()});
        return {ok: true, message_ts: this.nextTs()};
      }
      case 'usergroups.users.list': {
        const problem = need('usergroups:read');
        if (problem) return problem;
        const members = this.groups.get(args.usergroup ?? '');
        return members ? {ok: true, users: members} : {ok: false, error: 'no_such_subteam'};
      }
      case 'users.info': {
        const problem = need('users:read');
        if (problem) return problem;
        const person = this.people.get(args.user ?? '');
        if (!person) return {ok: false, error: 'user_not_found'};
        return {ok: true, user: {id: args.user, team_id: person.team ?? TEAM, name: person.name, real_name: person.name, profile: {display_name: person.displayName ?? '', real_name: person.name}}};
      }
      case 'chat.postMessage': {
        const problem = need('chat:write');
        if (problem) return problem;
        const channel = this.channel(args.channel ?? '');
        if (!channel) return {ok: false, error: 'channel_not_found'};
        if (channel.isArchived) return {ok: false, error: 'is_archived'};
        if (!channel.isMember && (channel.isPrivate || !scopes.includes('chat:write.public'))) return {ok: false, error: 'not_in_channel'};
        const checked = checkMessage(args, TEXT_LIMIT);
        if ('error' in checked) return {ok: false, error: checked.error};
        if (args.thread_ts && !this.messages.some((m) => m.ts === args.thread_ts && m.channel === channel.id)) return {ok: false, error: 'thread_not_found'};
        const message: StoredMessage = {ts: this.nextTs(), channel: channel.id, text: args.text ?? '', ...checked, thread_ts: args.thread_ts || undefined, bot_id: identity.botId, user: identity.userId};
        this.messages.push(message);
        return {ok: true, channel: channel.id, ts: message.ts, message};
      }
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!this.channel(args.channel ?? '')) return {ok: false, error: 'channel_not_found'};
        if (!message) return {ok: false, error: 'message_not_found'};
        const checked = checkMessage(args, UPDATE_TEXT_LIMIT);
        if ('error' in checked) return {ok: false, error: checked.error};
        Object.assign(message, {text: args.text ?? message.text, edited: true}, checked);
        return {ok: true, channel: message.channel, ts: message.ts};
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = this.channel(args.channel ?? '');
        if (!channel || channel.id !== args.channel) return {ok: false, error: 'channel_not_found'};
        const problem = need(channel.isPrivate ? 'groups:history' : 'channels:history');
        if (problem) return problem;
        const withMetadata = args.include_all_metadata === 'true';
        const list =
          method === 'conversations.history'
            ? this.posts(channel.id)
                .filter((m) => (!args.oldest || Number(m.ts) >= Number(args.oldest)) && (!args.latest || Number(m.ts) < Number(args.latest) || (args.inclusive === 'true' && m.ts === args.latest)))
                .reverse()
            : this.messages.filter((m) => m.channel === channel.id && (m.ts === args.ts || m.thread_ts === args.ts));
        const visible = list.map((m) => ({...m, files: m.files?.map(({content: _, ...file}) => file), metadata: withMetadata ? m.metadata : undefined}));
        return page(visible, args, 'messages');
      }
      case 'chat.getPermalink': {
        const message = this.messages.find((m) => m.channel === args.channel && m.ts === args.message_ts);
        if (!message) return {ok: false, error: 'message_not_found'};
        return {ok: true, channel: message.channel, permalink: `https://hello.slack.test/archives/${message.channel}/p${message.ts.replace('.', '')}`};
      }
      case 'users.lookupByEmail': {
        const problem = need('users:read.email');
        if (problem) return problem;
        const id = this.users.get((args.email ?? '').toLowerCase());
        return id ? {ok: true, user: {id, name: args.email!.split('@')[0]}} : {ok: false, error: 'users_not_found'};
      }
      case 'conversations.info': {
        const channel = this.channel(args.channel ?? '');
        if (!channel || channel.id !== args.channel) return {ok: false, error: 'channel_not_found'};
        return {ok: true, channel: {id: channel.id, name: channel.name, is_member: channel.isMember, is_private: channel.isPrivate, is_archived: channel.isArchived}};
      }
      case 'conversations.list': {
        return page(this.channels.filter((c) => !(args.exclude_archived === 'true' && c.isArchived)).map((c) => ({id: c.id, name: c.name, is_private: c.isPrivate, is_member: c.isMember, is_archived: c.isArchived})), args, 'channels');
      }
      case 'files.getUploadURLExternal': {
        const problem = need('files:write');
        if (problem) return problem;
        if (!args.filename || !args.length) return {ok: false, error: 'invalid_arguments'};
        const id = `F0${String(this.uploads.size + 1).padStart(8, '0')}`;
        this.uploads.set(id, {filename: args.filename, length: Number(args.length)});
        return {ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id};
      }
      case 'files.completeUploadExternal': {
        const files = JSON.parse(args.files ?? '[]') as {id: string; title?: string}[];
        const channel = this.channel(args.channel_id ?? '');
        if (!channel) return {ok: false, error: 'channel_not_found'};
        const stored = [];
        for (const file of files) {
          const upload = this.uploads.get(file.id);
          if (!upload?.content) return {ok: false, error: 'file_not_found'};
          stored.push({id: file.id, name: upload.filename, title: file.title ?? upload.filename, size: upload.content.length, content: upload.content});
        }
        const message: StoredMessage = {ts: this.nextTs(), channel: channel.id, text: args.initial_comment ?? '', thread_ts: args.thread_ts || undefined, files: stored};
        this.messages.push(message);
        return {ok: true, files: stored.map(({content: _, ...file}) => file)};
      }
      default: {
        return {ok: false, error: 'unknown_method'};
      }
    }
  }

  /** A response_url post: ephemeral unless it says in_channel (foggy never does). */
  private receiveResponse(body: Buffer, response: ServerResponse): void {
    let message: {text?: string; blocks?: unknown[]; response_type?: string};
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      response.writeHead(400).end('invalid_payload');
      return;
    }
    this.calls.push({method: 'response_url', args: {body: body.toString('utf8')}, at: Date.now(), status: 200});
    if (message.response_type === 'in_channel') throw new Error('foggy answered a command for the whole channel to see');
    const checked = checkMessage({text: message.text ?? '', ...(message.blocks ? {blocks: JSON.stringify(message.blocks)} : {})}, TEXT_LIMIT);
    if ('error' in checked) {
      response.writeHead(400).end(checked.error);
      return;
    }
    this.ephemerals.push({via: 'response_url', text: message.text ?? '', blocks: message.blocks, at: Date.now()});
    response.writeHead(200, {'content-type': 'text/plain'}).end('ok');
  }

  /** A slash command as Slack delivers it over Socket Mode; returns the envelope id. */
  slash(options: {text: string; user?: string; team?: string; channel?: string; command?: string; envelopeId?: string; to?: number | 'all'}): string {
    const user = options.user ?? 'U0ALICE01';
    return this.socketMode.send(
      'slash_commands',
      {
        token: 'verification-token-unused',
        team_id: options.team ?? TEAM,
        team_domain: 'hello',
        channel_id: options.channel ?? 'C0OPS00001',
        channel_name: this.channel(options.channel ?? 'C0OPS00001')?.name ?? 'directmessage',
        user_id: user,
        user_name: this.people.get(user)?.name ?? 'someone',
        command: options.command ?? '/foggy',
        text: options.text,
        api_app_id: 'A0FOGGY01',
        is_enterprise_install: 'false',
        response_url: `http://127.0.0.1:${this.port}/respond/${++this.responseUrls}`,
        trigger_id: `${Date.now()}.${randomUUID()}`,
      },
      {envelopeId: options.envelopeId, to: options.to},
    );
  }

  /** "@foggy …" as an app_mention event; the same event id again is Slack's retry. */
  mention(options: {text: string; user?: string; team?: string; channel?: string; eventId?: string; retryAttempt?: number; retryReason?: string}): {envelopeId: string; eventId: string} {
    const eventId = options.eventId ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`;
    const ts = this.nextTs();
    const team = options.team ?? TEAM;
    const envelopeId = this.socketMode.send(
      'events_api',
      {
        token: 'verification-token-unused',
        team_id: TEAM,
        api_app_id: 'A0FOGGY01',
        event: {type: 'app_mention', user: options.user ?? 'U0ALICE01', text: options.text, ts, channel: options.channel ?? 'C0OPS00001', event_ts: ts, team, user_team: team, source_team: team},
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{enterprise_id: null, team_id: TEAM, user_id: 'U0FOGGY01', is_bot: true, is_enterprise_install: false}],
        is_ext_shared_channel: team !== TEAM,
        event_context: `4-${randomUUID()}`,
      },
      {retryAttempt: options.retryAttempt, retryReason: options.retryReason},
    );
    return {envelopeId, eventId};
  }

  /** A click on a button of a message foggy posted, as block_actions; returns the envelope id. */
  click(message: StoredMessage, actionId: string, options: {user?: string; team?: string; envelopeId?: string; to?: number | 'all'} = {}): string {
    const actions = (message.blocks ?? []).filter((block) => block.type === 'actions') as unknown as {block_id: string; elements: {action_id: string; value?: string; text: unknown; style?: string; type: string}[]}[];
    const block = actions.find((b) => b.elements.some((e) => e.action_id === actionId));
    const button = block?.elements.find((e) => e.action_id === actionId);
    if (!block || !button) throw new Error(`no button ${actionId} on message ${message.ts}`);
    const user = options.user ?? 'U0ALICE01';
    const team = options.team ?? TEAM;
    return this.socketMode.send(
      'interactive',
      {
        type: 'block_actions',
        user: {id: user, username: this.people.get(user)?.name ?? 'someone', name: this.people.get(user)?.name ?? 'someone', team_id: team},
        api_app_id: 'A0FOGGY01',
        token: 'verification-token-unused',
        container: {type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false},
        trigger_id: `${Date.now()}.${randomUUID()}`,
        team: {id: team, domain: 'hello'},
        enterprise: null,
        is_enterprise_install: false,
        channel: {id: message.channel, name: this.channel(message.channel)?.name ?? 'unknown'},
        message: {type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, bot_id: message.bot_id, user: message.user},
        state: {values: {}},
        response_url: `http://127.0.0.1:${this.port}/respond/${++this.responseUrls}`,
        actions: [{action_id: button.action_id, block_id: block.block_id, text: button.text, value: button.value, style: button.style, type: button.type, action_ts: `${Date.now() / 1000}`}],
      },
      {envelopeId: options.envelopeId, to: options.to},
    );
  }

  private receiveUpload(id: string, body: Buffer, request: IncomingMessage, response: ServerResponse): void {
    const upload = this.uploads.get(id);
    this.calls.push({method: 'upload', args: {id, bytes: String(body.length)}, at: Date.now(), status: upload ? 200 : 404});
    if (!upload) {
      response.writeHead(404).end('not found');
      return;
    }
    upload.content = extractFile(body, String(request.headers['content-type'] ?? ''));
    response.writeHead(200, {'content-type': 'text/plain'}).end(`OK - ${upload.content.length}`);
  }
}

function checkMessage(args: Record<string, string>, textLimit: number): {blocks?: StoredMessage['blocks']; metadata?: StoredMessage['metadata']} | {error: string} {
  if ((args.text ?? '').length > textLimit) return {error: 'msg_too_long'};
  let blocks: StoredMessage['blocks'];
  let metadata: StoredMessage['metadata'];
  try {
    blocks = args.blocks ? JSON.parse(args.blocks) : undefined;
    metadata = args.metadata ? JSON.parse(args.metadata) : undefined;
  } catch {
    return {error: 'invalid_json'};
  }
  if (!args.text && !blocks) return {error: 'no_text'};
  if (blocks) {
    if (blocks.length > 50) return {error: 'invalid_blocks'};
    const blockIds = new Set<string>();
    const actionIds = new Set<string>();
    for (const block of blocks) {
      if (!['section', 'context', 'actions', 'divider', 'header'].includes(block.type)) return {error: 'invalid_blocks'};
      const blockId = (block as {block_id?: string}).block_id;
      if (blockId !== undefined && (blockId.length > 255 || blockIds.has(blockId))) return {error: 'invalid_blocks'};
      if (blockId !== undefined) blockIds.add(blockId);
      if (block.type === 'section' && (!block.text || block.text.text.length > SECTION_LIMIT || block.text.text.length === 0)) return {error: 'invalid_blocks'};
      if (block.type === 'context' && (!block.elements || block.elements.length > 10 || block.elements.some((e) => e.text.length > SECTION_LIMIT))) return {error: 'invalid_blocks'};
      if (block.type === 'actions' && !validActions(block as unknown as {elements?: Button[]}, actionIds)) return {error: 'invalid_blocks'};
    }
    if (JSON.stringify(blocks).length > BLOCKS_LIMIT) return {error: 'msg_blocks_too_long'};
  }
  if (metadata && (!EVENT_TYPE.test(metadata.event_type ?? '') || !slackShaped(metadata.event_payload))) return {error: 'invalid_metadata_format'};
  if (args.metadata && args.metadata.length > METADATA_LIMIT) return {error: 'metadata_too_large'};
  return {blocks, metadata};
}

interface Button {
  type: string;
  action_id?: string;
  value?: string;
  style?: string;
  text?: {type: string; text: string};
}

/** Block Kit's rules for an actions block of buttons: 1 to 25, plain-text labels of at most 75 characters, ids unique. */
function validActions(block: {elements?: Button[]}, actionIds: Set<string>): boolean {
  const elements = block.elements ?? [];
  if (elements.length === 0 || elements.length > 25) return false;
  for (const button of elements) {
    if (button.type !== 'button') return false;
    if (button.text?.type !== 'plain_text' || !button.text.text || button.text.text.length > 75) return false;
    if (!button.action_id || button.action_id.length > 255 || actionIds.has(button.action_id)) return false;
    actionIds.add(button.action_id);
    if (button.value !== undefined && button.value.length > 2000) return false;
    if (button.style !== undefined && button.style !== 'primary' && button.style !== 'danger') return false;
  }
  return true;
}

const primitive = (value: unknown) => ['string', 'number', 'boolean'].includes(typeof value);
const flat = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(primitive);

/** Slack's documented payload: values are primitives, objects of primitives, or lists of such objects. */
function slackShaped(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  return Object.values(payload).every((value) => primitive(value) || flat(value) || (Array.isArray(value) && value.every(flat)));
}

function page<T>(items: T[], args: Record<string, string>, key: string): Record<string, unknown> {
  const limit = Math.min(Number(args.limit) || 100, 1000);
  const offset = args.cursor ? Number(Buffer.from(args.cursor, 'base64').toString()) : 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
  return {ok: true, [key]: slice, has_more: Boolean(next), response_metadata: {next_cursor: next}};
}

function parseArgs(body: Buffer, contentType: string): Record<string, string> {
  if (contentType.includes('application/json')) return JSON.parse(body.toString() || '{}');
  return Object.fromEntries(new URLSearchParams(body.toString()));
}

/** The file's bytes from a multipart body (or the raw body). */
function extractFile(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(marker);
  const headerEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.concat([Buffer.from('\r\n'), marker]), headerEnd);
  return body.subarray(headerEnd + 4, end);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
