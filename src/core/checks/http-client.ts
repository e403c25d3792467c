import type {Socket} from 'node:net';
import {createRequire} from 'node:module';
import type {TLSSocket} from 'node:tls';
import type {Cancellation} from './deadline.js';
import {errorWords} from './error-words.js';
import {releaseDescriptors, whenDescriptorsFree} from './file-descriptors.js';
import {ACCEPT_ENCODING} from './http-decode.js';
import type {ProxyRoute} from './http-proxy.js';
import {HttpResponseError, NotHttpError, ResponseReader, type ParsedResponse, type ResponseReaderOptions} from './http-response.js';
import {certificateOf, connectOptions, describeTlsError, TlsFailure, tlsKey, tlsModule, verifyServer, type TlsSettings} from './http-tls.js';

/**
 * The HTTP client of checks: one GET or HEAD on a kept-alive connection, read by ResponseReader.
 *
 * Connections are pooled per origin (and proxy, and TLS settings), so that a thousand services behind one
 * load balancer share a few connections. One service's bytes never become another's answer:
 * - a connection carries another check only when the end of its last answer was certain (see
 *   ResponseReader) and nothing more arrived by the time the bytes already received are read;
 * - bytes arriving while it is not expecting an answer close it;
 * - an answer that starts with something other than HTTP on a reused connection is taken for stray bytes
 *   of the last one: the check is sent again, once, on a fresh connection;
 * - a server that has sent stray bytes once (a body after a HEAD, 204 or 304 answer, more than its
 *   framing said) is distrusted: its connections carry one request each from then on.
 *
 * The pool grows from what it sees: USUAL_CONNECTIONS at once, more only while the server has said nothing
 * for longer than a new connection takes to open (measured), judged after the answers that arrived are
 * read. At most MAX_OPENING connections are being opened at once, so a burst never overflows a server's
 * accept queue (a dropped SYN costs a second), and at most MAX_CONNECTIONS are open.
 *
 * Idle connections do not keep the process alive and close after IDLE_MS, before a server's usual
 * keep-alive timeout (5 s) would.
 */

export interface CheckRequest {
  /** A URL, or one already parsed. */
  url: string | URL;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  tls: TlsSettings;
  /** The proxy to go through, or none. */
  proxy?: ProxyRoute;
  keepBody: boolean;
  keepHeaders: boolean;
  maxBodyBytes: number;
  /** The check needs the status alone: answered at the response's head. */
  settleAtHead: boolean;
}

/** A request made ready once (its origin found, its bytes written out) and sent any number of times. */
export interface PreparedRequest {
  readonly url: URL;
  readonly request: CheckRequest;
  readonly origin: Origin;
  readonly head: string;
  readonly reader: ResponseReaderOptions;
  /** Requests made ready for the redirects this one met, by their Location: a watcher follows them every round. */
  readonly redirects: Map<string, PreparedRequest>;
}

/** Connections opened without a second thought; past them, only while the server is silent (see mayOpen). */
const USUAL_CONNECTIONS = 32;
const MIN_PATIENCE_MS = 2;
const MAX_OPENING = 32;
const MAX_CONNECTIONS = 256;
const IDLE_MS = 4000;
/** A status-only check is answered at the head; the rest of its body is drained this long at most. */
const DRAIN_MS = 2000;
/** Bodies longer than this are not drained: the connection is closed instead. */
const DRAIN_BYTES = 64 * 1024;
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const load = createRequire(import.meta.url);
const net = (): typeof import('node:net') => load('node:net') as typeof import('node:net');

/** An invalid URL or header (a CR or LF from a variable, say) is refused before anything is sent. */
export class RequestError extends Error {}

export function prepareRequest(request: CheckRequest): PreparedRequest {
  let url: URL;
  try {
    url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  } catch {
    throw new RequestError(`${JSON.stringify(request.url)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError(`${JSON.stringify(request.url)} is not an http(s) URL`);
  const settleAtHead = request.settleAtHead && request.method === 'GET';
  return {
    url,
    request,
    origin: originFor(url, request),
    head: requestHead(url, request),
    reader: {head: request.method === 'HEAD', keepBody: request.keepBody, keepHeaders: request.keepHeaders, maxBodyBytes: settleAtHead ? DRAIN_BYTES : request.maxBodyBytes, settleAtHead},
    redirects: new Map(),
  };
}

/** What is told of a request once it is over: its response, or why there is none. Called once. */
export type Answer = (error: unknown, response?: ParsedResponse) => void;

/**
 * Sends a prepared request; its answer comes by callback, not a promise: a status of a thousand services
 * keeps a thousand requests waiting at once, and each promise would be kept, and copied by the garbage
 * collector, until its turn comes.
 */
export function sendRequest(prepared: PreparedRequest, deadline: Cancellation, answer: Answer): void {
  prepared.origin.send(prepared, deadline, answer);
}

// Header values as node:http accepts them: no control characters but tab (a CR or LF would end the header).
const INVALID_VALUE = /[^\t\u0020-\u007E\u0080-\u00FF]/;
const TOKEN = /^[!#$%&'*+.^`|~\w-]+$/;

function requestHead(url: URL, request: CheckRequest): string {
  // Through a proxy, a plain http request names the whole URL (absolute form); https goes through a tunnel.
  const viaProxy = request.proxy !== undefined && url.protocol === 'http:';
  const path = `${url.pathname}${url.search}`;
  const target = viaProxy ? `${url.protocol}//${url.host}${path}` : path;
  const start = `${request.method} ${target} HTTP/1.1\r\n`;
  const proxyAuthorization = viaProxy && request.proxy!.authorization ? `Proxy-Authorization: ${request.proxy!.authorization}\r\n` : '';
  // The usual check: no headers of its own, no credentials in the URL.
  if (!url.username && !url.password && Object.keys(request.headers).length === 0) {
    return `${start}Host: ${url.host}\r\nUser-Agent: foggy\r\nAccept-Encoding: ${ACCEPT_ENCODING}\r\n${proxyAuthorization}Connection: keep-alive\r\n\r\n`;
  }
  const headers: Record<string, string> = {host: url.host, 'user-agent': 'foggy', 'accept-encoding': ACCEPT_ENCODING, connection: 'keep-alive'};
  const names: Record<string, string> = {host: 'Host', 'user-agent': 'User-Agent', 'accept-encoding': 'Accept-Encoding', connection: 'Connection'};
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    names.authorization = 'Authorization';
  }
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new RequestError(`the request header name ${JSON.stringify(name)} is not valid`);
    if (INVALID_VALUE.test(value)) throw new RequestError(`the request header ${name} holds a character a header cannot carry`);
    headers[name.toLowerCase()] = value;
    names[name.toLowerCase()] = name;
  }
  let head = start;
  for (const [name, value] of Object.entries(headers)) head += `${names[name]}: ${value}\r\n`;
  return `${head}${proxyAuthorization}\r\n`;
}

/** A request waiting for, or on, a connection; settled once (answered, failed, or its deadline passed). */
class Job {
  /** Answered, failed or abandoned: a queued job in this state is dropped when its turn comes. */
  settled = false;
  /** Sent again once already, after a stale or poisoned kept-alive connection. */
  retried = false;
  connection?: Connection;
  private readonly stopListening: () => void;

  constructor(
    readonly prepared: PreparedRequest,
    private readonly answer: Answer,
    deadline: Cancellation,
  ) {
    // A job still queued is skipped when its turn comes; one on a connection abandons it.
    this.stopListening = deadline.onAbort(() => {
      this.connection?.abandon(this);
      this.reject(deadline.reason);
    });
    inFlight.hold();
  }

  resolve(response: ParsedResponse): void {
    if (this.settle()) this.answer(undefined, response);
  }

  reject(error: unknown): void {
    if (this.settle()) this.answer(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.stopListening();
    inFlight.release();
    return true;
  }
}

/** The connections to one scheme, host and port (through one proxy, with one TLS policy), and the requests waiting for one. */
class Origin {
  readonly idle: Connection[] = [];
  /** Connections with a request in flight, in the order the requests went out. */
  readonly busy = new Set<Connection>();
  /** Connections waiting out their quiet moment after an answer. */
  readonly cooling = new Set<Connection>();
  private coolingScheduled = false;
  private readonly queue: Job[] = [];
  open = 0;
  opening = 0;
  /** When the server last answered (performance.now()). */
  answeredAt = 0;
  /** How long a new connection takes to open (a moving average, ms); undefined until seen. */
  openMs?: number;
  /** The last TLS session, offered again by new connections: a resumed handshake costs a fraction of a full one. */
  tlsSession?: Buffer;
  /** The server has sent stray bytes: no connection to it carries a second request. */
  distrusted = false;
  /** Descriptors granted for connections not yet opened, and whether one is awaited. */
  private descriptors = 0;
  private waitingForDescriptor = false;
  private lookAgain?: NodeJS.Timeout;

  constructor(
    readonly tls: boolean,
    readonly host: string,
    readonly port: number,
    readonly tlsSettings: TlsSettings,
    readonly proxy: ProxyRoute | undefined,
  ) {}

  send(prepared: PreparedRequest, deadline: Cancellation, answer: Answer): void {
    if (deadline.aborted) return answer(deadline.reason);
    this.queue.push(new Job(prepared, answer, deadline));
    this.pump();
  }

  /**
   * A kept-alive connection turned out closed, or carried bytes that were not this request's answer: the
   * request is sent again, once, on a fresh connection (GET and HEAD are safe to repeat).
   */
  retry(job: Job, staleOthers: boolean): void {
    job.retried = true;
    if (staleOthers) for (const connection of this.idle.splice(0)) connection.close();
    this.queue.unshift(job);
    this.pump(true);
  }

  /**
   * Hands waiting requests to idle connections, or to new ones. Past the usual number, growth is judged
   * only when the timer of lookAgainLater says, after the answers that arrived are read: a busy process
   * reads answers late, and judging at every request queued would take its own delay for the server's.
   */
  pump(fresh = false, judging = false): void {
    for (;;) {
      while (this.queue.length > 0 && this.queue[0].settled) this.queue.shift();
      if (this.queue.length === 0) return;
      let connection = fresh && this.queue[0].retried ? undefined : this.idle.pop();
      if (!connection) {
        if (!this.mayOpen(fresh && this.queue[0].retried, judging)) return this.lookAgainLater();
        if (this.descriptors === 0 && !this.reserveDescriptor()) return;
        this.descriptors--;
        connection = new Connection(this);
      }
      connection.run(this.queue.shift()!);
    }
  }

  private mayOpen(retry: boolean, judging: boolean): boolean {
    if (this.open >= MAX_CONNECTIONS || this.opening >= MAX_OPENING) return false;
    if (retry || this.open < USUAL_CONNECTIONS) return true;
    if (!judging) return false;
    // Past the usual number, only for a server silent longer than a new connection takes to open: its
    // checks then wait for its answers, not for each other. A server that keeps answering frees connections.
    return this.silentMs() > Math.max(MIN_PATIENCE_MS, this.openMs ?? 0);
  }

  /** How long the server has said nothing while requests were in flight (judged after the answers that arrived are read). */
  private silentMs(): number {
    // A request written before its connection opened left when it opened.
    let oldest = Number.POSITIVE_INFINITY;
    for (const connection of this.busy) {
      if (connection.readyAt > 0) oldest = Math.min(oldest, Math.max(connection.sentAt, connection.readyAt));
    }
    if (oldest === Number.POSITIVE_INFINITY) return 0;
    return performance.now() - Math.max(oldest, this.answeredAt);
  }

  /** Requests wait for a connection: if the server stays silent, judge again then. */
  private lookAgainLater(): void {
    if (this.lookAgain || this.open >= MAX_CONNECTIONS) return;
    this.lookAgain = setTimeout(
      () => {
        // After the answers that already arrived are read: timers run before I/O, immediates after it.
        setImmediate(() => {
          this.lookAgain = undefined;
          this.pump(false, true);
        });
      },
      Math.max(MIN_PATIENCE_MS, Math.ceil(this.openMs ?? 0)),
    );
    // The requests waiting keep the process alive (inFlight), not this.
    this.lookAgain.unref();
  }

  /**
   * A file descriptor for a new connection (see file-descriptors.ts): true when one is free now; otherwise the
   * pump runs again once one is.
   */
  private reserveDescriptor(): boolean {
    if (this.waitingForDescriptor) return false;
    let now = true;
    let granted = false;
    whenDescriptorsFree(1, () => {
      if (now) {
        granted = true;
        return;
      }
      this.waitingForDescriptor = false;
      this.descriptors++;
      this.pump();
      // Nobody needed it after all.
      if (this.queue.every((job) => job.settled) && this.descriptors > 0) {
        this.descriptors--;
        releaseDescriptors(1);
      }
    });
    now = false;
    if (granted) this.descriptors++;
    else this.waitingForDescriptor = true;
    return granted;
  }

  /** One turn of the event loop for all the connections cooling at once, then the waiting requests get them. */
  cool(connection: Connection): void {
    this.cooling.add(connection);
    if (this.coolingScheduled) return;
    this.coolingScheduled = true;
    setImmediate(() => {
      this.coolingScheduled = false;
      for (const cooled of this.cooling) cooled.cooled();
      this.cooling.clear();
      this.pump();
    });
  }

  opened(ms: number): void {
    this.openMs = this.openMs === undefined ? ms : this.openMs * 0.8 + ms * 0.2;
  }
}

type State = 'opening' | 'busy' | 'draining' | 'cooling' | 'idle' | 'closed';

/**
 * One connection, with its listeners set once: they serve the request in flight, or close the connection
 * when something happens while it is not expecting an answer (the server closing it, or speaking out of turn).
 */
class Connection {
  private state: State = 'opening';
  private job?: Job;
  private reader?: ResponseReader;
  /** When the request in flight was written, and when the connection opened (0: not yet). */
  sentAt = 0;
  readyAt = 0;
  /** It has carried a request before: its next answer may be stray bytes of the last one's server. */
  private reused = false;
  /** Writes may go out (for TLS: the server was verified; plain sockets buffer until they connect). */
  private writable = false;
  private certificate?: {validTo: number; subject: string};
  private endPending = false;
  private socket?: Socket;
  private timer?: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(private readonly origin: Origin) {
    origin.open++;
    origin.opening++;
    try {
      this.connect();
    } catch (error) {
      // A TLS file that cannot be read, say: the request in hand fails with it, once it is handed over.
      queueMicrotask(() => this.fail(error));
    }
  }

  run(job: Job): void {
    this.job = job;
    job.connection = this;
    this.reader = new ResponseReader(job.prepared.reader);
    if (this.state === 'idle') this.state = 'busy';
    this.origin.busy.add(this);
    if (this.writable) this.write();
  }

  /** The request's deadline passed: the connection is in an unknown state, and closes. */
  abandon(job: Job): void {
    if (this.job !== job) return;
    this.job = undefined;
    this.close();
  }

  close(): void {
    if (this.state === 'closed') return;
    const wasOpening = this.state === 'opening';
    this.state = 'closed';
    clearTimeout(this.timer);
    const index = this.origin.idle.indexOf(this);
    if (index !== -1) this.origin.idle.splice(index, 1);
    this.origin.busy.delete(this);
    this.origin.cooling.delete(this);
    this.socket?.destroy();
    releaseDescriptors(1);
    this.origin.open--;
    if (wasOpening) this.origin.opening--;
    this.origin.pump();
  }

  private write(): void {
    this.sentAt = performance.now();
    this.socket!.write(this.job!.prepared.head, 'latin1');
  }

  private connect(): void {
    const {origin} = this;
    const {proxy} = origin;
    if (!proxy) {
      if (!origin.tls) return this.plain(origin.host, origin.port);
      return this.secure(tlsModule().connect({...connectOptions(origin.tlsSettings, origin.host, origin.tlsSession), port: origin.port}));
    }
    // To the proxy first (over TLS if it is an https proxy, verified as usual), then as the origin needs.
    const toProxy = proxy.protocol === 'https:' ? tlsModule().connect({host: proxy.host, port: proxy.port, servername: net().isIP(proxy.host) ? undefined : proxy.host}) : net().connect({host: proxy.host, port: proxy.port});
    if (!origin.tls) {
      // Plain http through the proxy: requests name the whole URL, on this very connection.
      this.listen(toProxy);
      toProxy.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => this.ready());
      return;
    }
    this.tunnel(toProxy, proxy);
  }

  /** Plain TCP reads into one shared buffer, bypassing the stream machinery; each read is copied out at once. */
  private plain(host: string, port: number): void {
    const socket = net().connect({
      host,
      port,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.data(Buffer.from(buffer.subarray(0, bytes)));
          return true;
        },
      },
    });
    this.watch(socket);
    // Written before it connects, the request waits in the socket and goes out at once.
    this.writable = true;
    socket.once('connect', () => this.ready());
  }

  /** TLS straight to the origin (or through a tunnel): nothing is written before the server is verified. */
  private secure(socket: TLSSocket): void {
    this.listen(socket);
    socket.on('session', (session: Buffer) => (this.origin.tlsSession = session));
    socket.once('secureConnect', () => {
      const refused = verifyServer(socket, this.origin.tlsSettings, this.origin.host);
      if (refused) return this.fail(refused);
      this.certificate = certificateOf(socket);
      this.ready();
    });
  }

  /** CONNECT host:port through the proxy, then TLS inside the tunnel. */
  private tunnel(socket: Socket, proxy: ProxyRoute): void {
    const {origin} = this;
    this.watch(socket);
    const authority = `${origin.host.includes(':') ? `[${origin.host}]` : origin.host}:${origin.port}`;
    let answer = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      answer = Buffer.concat([answer, data]);
      const end = answer.indexOf('\r\n\r\n');
      if (end === -1) {
        if (answer.length > 16 * 1024) this.fail(new HttpResponseError(`the proxy ${proxy.label} answered CONNECT with more than 16 KB of headers`));
        return;
      }
      socket.off('data', onData);
      const statusLine = answer.toString('latin1', 0, answer.indexOf('\r\n'));
      const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      if (!status) return this.fail(new HttpResponseError(`the proxy ${proxy.label} did not answer CONNECT in HTTP (${JSON.stringify(statusLine.slice(0, 40))})`));
      if (status[1] !== '200') return this.fail(new HttpResponseError(`the proxy ${proxy.label} refused the tunnel to ${authority}: ${status[1]} ${status[2] ?? ''}`.trim()));
      // The tunnel is open: TLS with the origin goes through it.
      this.secure(tlsModule().connect({...connectOptions(origin.tlsSettings, origin.host, origin.tlsSession), socket}));
    };
    socket.on('data', onData);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : ''}User-Agent: foggy\r\n\r\n`);
    });
  }

  /** Reads through 'data' events (TLS, and connections through a proxy). */
  private listen(socket: Socket): void {
    this.watch(socket);
    socket.on('data', (data: Buffer) => this.data(data));
  }

  /** The listeners every socket of this connection needs, set once. */
  private watch(socket: Socket): void {
    this.socket = socket;
    // Inactivity: an idle connection closes before a server's usual keep-alive timeout; a request's own
    // deadline is its check's.
    socket.setTimeout(IDLE_MS, () => {
      if (this.state !== 'busy' && this.state !== 'opening') this.close();
    });
    socket.on('end', () => this.ended());
    socket.on('close', () => this.ended());
    socket.on('error', (error: Error) => this.failed(error));
    // Connections never keep the process alive (an idle one must not); requests in flight do, see inFlight.
    socket.unref();
  }

  /** Connected (and for TLS, verified): the request in hand goes out. */
  private ready(): void {
    if (this.state !== 'opening') return;
    this.origin.opening--;
    this.readyAt = performance.now();
    this.origin.opened(this.readyAt - this.startedAt);
    this.state = this.job ? 'busy' : 'idle';
    if (!this.writable) {
      this.writable = true;
      if (this.job) this.write();
    }
    if (!this.job) {
      this.origin.idle.push(this);
      this.origin.pump();
    } else this.origin.pump();
  }

  private data(data: Buffer): void {
    // Bytes while no answer is expected (idle, or in the quiet moment): the server speaks out of turn.
    if (!this.reader) {
      this.origin.distrusted = true;
      return this.close();
    }
    try {
      this.reader.push(data);
    } catch (error) {
      return this.broken(error);
    }
    this.progress();
  }

  /** What the reader has after new bytes or the connection's end: the answer to hand over, the connection's fate. */
  private progress(): void {
    const reader = this.reader!;
    if (reader.response && this.job && !this.job.settled) {
      const response = reader.response;
      const now = performance.now();
      response.elapsedMs = now - this.sentAt;
      response.certificate = this.certificate;
      this.origin.answeredAt = now;
      const job = this.job;
      // The connection's fate first: the next request goes out before this answer is judged.
      if (reader.ended) this.finished(reader);
      else this.drain();
      job.resolve(response);
      return;
    }
    if (reader.ended) this.finished(reader);
  }

  /** The whole response was read: the connection cools before its next request, or closes. */
  private finished(reader: ResponseReader): void {
    this.job = undefined;
    this.reader = undefined;
    this.origin.busy.delete(this);
    if (reader.strayBytes) this.origin.distrusted = true;
    if (reader.reusable && !this.origin.distrusted && this.state !== 'closed') this.cool();
    else this.close();
  }

  /** Answered at the head: the rest of the body is read (not kept) for a little while, then the connection is given up. */
  private drain(): void {
    this.state = 'draining';
    this.origin.busy.delete(this);
    this.timer = setTimeout(() => this.close(), DRAIN_MS);
    this.timer.unref();
  }

  /**
   * A quiet moment after an answer, until the bytes already received are read (the end of this turn of the
   * event loop): bytes that come close the connection, instead of answering the next request.
   */
  private cool(): void {
    this.state = 'cooling';
    this.reused = true;
    clearTimeout(this.timer);
    this.origin.cool(this);
  }

  /** The quiet moment passed: the connection may carry another request. */
  cooled(): void {
    if (this.state !== 'cooling') return;
    this.state = 'idle';
    this.origin.idle.push(this);
  }

  private ended(): void {
    if (!this.reader || this.state === 'closed') return this.close();
    // A TLS alert (a refused client certificate) can come with the close: let its error speak first.
    if (this.origin.tls && !this.reader.received && !this.endPending) {
      this.endPending = true;
      return void setImmediate(() => this.ended());
    }
    try {
      this.reader.end();
    } catch (error) {
      if (this.reused && !this.reader.received) return this.stale(true);
      // node's own servers, and others, refuse an untrusted client certificate by closing right after the handshake.
      if (this.origin.tls && this.origin.tlsSettings.cert && !this.reader.received) return this.fail(new TlsFailure('the server closed the connection after the TLS handshake, without answering: it may not accept the client certificate (tls.cert)'));
      return this.broken(error);
    }
    this.progress();
    this.close();
  }

  private failed(error: Error): void {
    if (this.state === 'closed') return;
    if (!this.job || this.job.settled) return this.close();
    if (this.reused && !this.reader?.received) return this.stale(true);
    this.fail(error);
  }

  /** The answer could not be read: not this request's, if the connection was reused and it did not start as HTTP. */
  private broken(error: unknown): void {
    if (this.job && !this.job.settled && this.reused && error instanceof NotHttpError) {
      this.origin.distrusted = true;
      return this.stale(false);
    }
    this.fail(error);
  }

  /** The request in hand (if any) fails with `error`, and the connection closes. */
  private fail(error: unknown): void {
    const job = this.job;
    this.job = undefined;
    this.close();
    job?.reject(explainConnectionError(error, this.origin));
  }

  /** A reused connection that closed before answering, or answered with another's bytes: the request goes again. */
  private stale(closedByServer: boolean): void {
    const job = this.job!;
    this.job = undefined;
    this.close();
    if (job.retried) job.reject(new HttpResponseError('the connection closed before any response'));
    else this.origin.retry(job, closedByServer);
  }
}

/** Errors of the way to the server (the proxy, TLS) said as such; the others as they are. */
function explainConnectionError(error: unknown, origin: Origin): unknown {
  const tls = origin.tls ? describeTlsError(error, origin.tlsSettings) : undefined;
  if (tls) return new TlsFailure(tls);
  if (origin.proxy && !(error instanceof HttpResponseError) && (error as NodeJS.ErrnoException | undefined)?.code) {
    const code = (error as NodeJS.ErrnoException).code!;
    const proxyCodes = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'];
    if (proxyCodes.includes(code)) return new HttpResponseError(`proxy ${origin.proxy.label}: ${errorWords(code) ?? code}`);
  }
  return error;
}

const origins = new Map<string, Origin>();

/**
 * Keeps the process alive while any request is waiting or in flight: one timer for all of them, since
 * referencing and unreferencing each connection around each request costs more than the request.
 */
const inFlight = {
  count: 0,
  timer: undefined as NodeJS.Timeout | undefined,
  hold(): void {
    if (this.count++ === 0) this.timer = setInterval(() => {}, 1 << 30);
  },
  release(): void {
    if (--this.count === 0) clearInterval(this.timer);
  },
};

function originFor(url: URL, request: CheckRequest): Origin {
  const tls = url.protocol === 'https:';
  const port = Number(url.port) || (tls ? 443 : 80);
  // URL.hostname keeps an IPv6 address's brackets, which a connection does not take.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const proxy = request.proxy;
  const key = `${url.protocol}//${host}:${port} ${tls ? tlsKey(request.tls) : ''} ${proxy ? `${proxy.label} ${proxy.authorization ?? ''}` : ''}`;
  let origin = origins.get(key);
  if (!origin) {
    origin = new Origin(tls, host, port, request.tls, proxy);
    origins.set(key, origin);
  }
  return origin;
}
