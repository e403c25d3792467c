import {randomUUID} from 'node:crypto';
import type {IncomingMessage, Server} from 'node:http';
import type {Duplex} from 'node:stream';
import {WebSocketServer, type WebSocket} from 'ws';

/**
 * Slack's Socket Mode, imitated on the loopback Slack's own port: apps.connections.open hands out a
 * ws:// URL with a one-time ticket; a connection gets `hello` first, then envelopes (slash_commands,
 * interactive, events_api with retry_attempt/retry_reason), and acks come back matched by envelope_id.
 * `disconnect` asks the app to reconnect, as Slack does when it recycles a server.
 */

export interface Envelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  at: number;
  /** performance.now() when it arrived, for latencies. */
  atMs: number;
}

export class SocketModeServer {
  private readonly wss = new WebSocketServer({noServer: true});
  private readonly tickets = new Set<string>();
  readonly sockets = new Set<WebSocket>();
  readonly acks: Ack[] = [];
  readonly sent: (Envelope & {at: number; atMs: number})[] = [];
  /** How many connections were ever opened (a reconnect adds one). */
  connectionsOpened = 0;
  /** Connections get no hello (a broken server): the app must not consider itself connected. */
  withholdHello = false;
  private readonly waiters: (() => void)[] = [];

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  /** apps.connections.open: a URL good for one connection. */
  openTicket(port: number): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://127.0.0.1:${port}/link/?ticket=${ticket}`;
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connectionsOpened += 1;
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      let message: {envelope_id?: string; payload?: Record<string, unknown>};
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof message.envelope_id === 'string') {
        this.acks.push({envelope_id: message.envelope_id, payload: message.payload, at: Date.now(), atMs: performance.now()});
        this.wake();
      }
    });
    if (!this.withholdHello) ws.send(JSON.stringify({type: 'hello', num_connections: this.sockets.size, debug_info: {host: 'applink-fake', approximate_connection_time: 18060}, connection_info: {app_id: 'A0FOGGY01'}}));
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves when `test` holds, checked on every connection and ack; rejects after `timeoutMs`. */
  async until(test: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  get connected(): number {
    return [...this.sockets].filter((ws) => ws.readyState === ws.OPEN).length;
  }

  /**
   * Sends an envelope on one open connection (as Slack picks one: the first, or the one asked for), or on
   * every one (a redelivery that reaches another server); returns its id.
   */
  send(type: Envelope['type'], payload: Record<string, unknown>, options: {envelopeId?: string; retryAttempt?: number; retryReason?: string; to?: number | 'all'} = {}): string {
    const open = [...this.sockets].filter((socket) => socket.readyState === socket.OPEN);
    const targets = options.to === 'all' ? open : [open[options.to ?? 0]].filter(Boolean);
    if (targets.length === 0) throw new Error('no Socket Mode connection is open');
    const envelope: Envelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? {retry_attempt: options.retryAttempt ?? 0, retry_reason: options.retryReason ?? ''} : {}),
    };
    this.sent.push({...envelope, at: Date.now(), atMs: performance.now()});
    for (const ws of targets) ws.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  }

  ackOf(envelopeId: string): Ack | undefined {
    return this.acks.find((ack) => ack.envelope_id === envelopeId);
  }

  /** Forgets what was sent and acknowledged (a benchmark's long runs). */
  forget(): void {
    this.acks.length = 0;
    this.sent.length = 0;
  }

  async waitForAck(envelopeId: string, timeoutMs = 5000): Promise<Ack> {
    await this.until(() => this.ackOf(envelopeId) !== undefined, timeoutMs, `the ack of ${envelopeId}`);
    return this.ackOf(envelopeId)!;
  }

  /** Slack recycling the server: the app should reconnect (new ticket, new socket). */
  disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({type: 'disconnect', reason, debug_info: {host: 'applink-fake'}}));
  }

  /** The network dropping the connection: no close frame. */
  drop(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}
