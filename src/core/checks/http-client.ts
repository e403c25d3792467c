import type {Socket} from 'node:net';
import {createRequire} from 'node:module';
import type {Cancellation} from './deadline.js';
import {HttpResponseError, ResponseReader, type ParsedResponse, type ResponseReaderOptions} from './http-response.js';

/**
 * The HTTP client of checks: one GET or HEAD on a kept-alive connection, read by ResponseReader. Connections
 * are pooled per origin, CONNECTIONS_PER_ORIGIN at once: a thousand services behind one load balancer share a
 * few connections instead of opening a thousand at once, which overflows the server's accept queue (a dropped
 * SYN costs a second) and costs more than the requests. A server slow to answer gets more connections, one
 * per request it has kept waiting past PATIENCE_MS while it said nothing: its checks wait for its answers,
 * not for each other.
 * Idle connections do not keep the process alive and close after IDLE_MS, before a server's usual
 * keep-alive timeout (5 s) would.
 */

export interface CheckRequest {
  url: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  /** Accept any TLS certificate. */
  insecure: boolean;
  keepBody: boolean;
  keepHeaders: boolean;
  maxBodyBytes: number;
}

/** A request made ready once (its origin found, its bytes written out) and sent any number of times. */
export interface PreparedRequest {
  readonly origin: Origin;
  readonly head: string;
  readonly reader: ResponseReaderOptions;
}

const CONNECTIONS_PER_ORIGIN = 32;
/** A server silent this long, with requests waiting, gets more connections, up to MAX_CONNECTIONS_PER_ORIGIN. */
const PATIENCE_MS = 100;
const MAX_CONNECTIONS_PER_ORIGIN = 256;
const IDLE_MS = 4000;
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const load = createRequire(import.meta.url);

/** An invalid URL or header (a CR or LF from a variable, say) is refused before anything is sent. */
class RequestError extends Error {}

export function prepareRequest(request: CheckRequest): PreparedRequest {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new RequestError(`${JSON.stringify(request.url)} is not a valid URL`);
  }
  return {
    origin: originFor(url, request.insecure),
    head: requestHead(url, request),
    reader: {head: request.method === 'HEAD', keepBody: request.keepBody, keepHeaders: request.keepHeaders, maxBodyBytes: request.maxBodyBytes},
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
  const start = `${request.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  // The usual check: no headers of its own, no credentials in the URL.
  if (!url.username && !url.password && Object.keys(request.headers).length === 0) return `${start}Host: ${url.host}\r\nUser-Agent: foggy\r\nConnection: keep-alive\r\n\r\n`;
  const headers: Record<string, string> = {host: url.host, 'user-agent': 'foggy', connection: 'keep-alive'};
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  }
  const names: Record<string, string> = {host: 'Host', 'user-agent': 'User-Agent', connection: 'Connection', authorization: 'Authorization'};
  for (const [name, value] of Object.entries(request.headers)) {
    if (!TOKEN.test(name)) throw new RequestError(`the request header name ${JSON.stringify(name)} is not valid`);
    if (INVALID_VALUE.test(value)) throw new RequestError(`the request header ${name} holds a character a header cannot carry`);
    headers[name.toLowerCase()] = value;
    names[name.toLowerCase()] = name;
  }
  let head = start;
  for (const [name, value] of Object.entries(headers)) head += `${names[name]}: ${value}\r\n`;
  return `${head}\r\n`;
}

/** A request waiting for, or on, a connection; settled once (answered, failed, or its deadline passed). */
class Job {
  /** Answered, failed or abandoned: a queued job in this state is dropped when its turn comes. */
  settled = false;
  /** Sent again once already, after a stale kept-alive connection. */
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

/** The connections to one scheme, host and port (and TLS policy), and the requests waiting for one. */
class Origin {
  readonly idle: Connection[] = [];
  /** Connections with a request in flight, in the order the requests went out. */
  readonly busy = new Set<Connection>();
  private readonly queue: Job[] = [];
  open = 0;
  /** When the server last answered (performance.now()). */
  answeredAt = 0;
  private growth?: NodeJS.Timeout;

  constructor(
    private readonly tls: boolean,
    private readonly host: string,
    private readonly port: number,
    private readonly insecure: boolean,
  ) {}

  send(prepared: PreparedRequest, deadline: Cancellation, answer: Answer): void {
    if (deadline.aborted) return answer(deadline.reason);
    this.queue.push(new Job(prepared, answer, deadline));
    this.pump();
  }

  /**
   * A kept-alive connection turned out closed: the request never reached the server, and GET and HEAD are
   * safe to send again, once, on a fresh connection (the other idle ones are likely closed too).
   */
  retry(job: Job): void {
    job.retried = true;
    for (const connection of this.idle.splice(0)) connection.close();
    this.queue.unshift(job);
    this.pump();
  }

  /** Hands waiting requests to idle connections, or to new ones while under the limit. */
  pump(): void {
    for (;;) {
      while (this.queue.length > 0 && this.queue[0].settled) this.queue.shift();
      if (this.queue.length === 0) return;
      let connection = this.idle.pop();
      if (!connection) {
        // Past the usual number, the limit is judged again when the growth timer says, not at every request queued.
        if (this.open >= CONNECTIONS_PER_ORIGIN && (this.growth || this.open >= this.limit())) return this.lookAgainLater();
        connection = new Connection(this);
        this.open++;
      }
      connection.run(this.queue.shift()!);
    }
  }

  /**
   * CONNECTIONS_PER_ORIGIN; and while the server has answered nothing for PATIENCE_MS, one more for each
   * request it has kept waiting that long. Judged on the server's silence, not on requests' age alone: a
   * busy process reads answers late, and more connections would only add to its work.
   */
  private limit(): number {
    const since = performance.now() - PATIENCE_MS;
    if (this.answeredAt > since) return CONNECTIONS_PER_ORIGIN;
    // Busy connections are kept in the order their requests went out: the slow ones come first.
    let slow = 0;
    for (const connection of this.busy) {
      if (connection.sentAt > since) break;
      slow++;
    }
    return Math.min(MAX_CONNECTIONS_PER_ORIGIN, CONNECTIONS_PER_ORIGIN + slow);
  }

  /** Requests wait while every connection is busy: if the answers are slow in coming, the limit grows. */
  private lookAgainLater(): void {
    if (this.growth || this.open >= MAX_CONNECTIONS_PER_ORIGIN) return;
    this.growth = setTimeout(() => {
      // After the answers that already arrived are read: timers run before I/O, immediates after it.
      setImmediate(() => {
        this.growth = undefined;
        this.pump();
      });
    }, PATIENCE_MS);
    // The requests waiting keep the process alive (inFlight), not this.
    this.growth.unref();
  }

  /** A new connection; what it reads goes to `received` (TLS through the socket's 'data' events). */
  connect(received: (data: Buffer) => void): Socket {
    if (this.tls) {
      const tls = load('node:tls') as typeof import('node:tls');
      const {isIP} = load('node:net') as typeof import('node:net');
      const socket = tls.connect({host: this.host, port: this.port, servername: isIP(this.host) ? undefined : this.host, rejectUnauthorized: !this.insecure});
      socket.on('data', received);
      return socket;
    }
    // Plain TCP reads into one shared buffer, bypassing the stream machinery; each read is copied out at once.
    return (load('node:net') as typeof import('node:net')).connect({
      host: this.host,
      port: this.port,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          received(Buffer.from(buffer.subarray(0, bytes)));
          return true;
        },
      },
    });
  }
}

/**
 * One connection, with its listeners set once: they serve the request in flight, or close the connection
 * when something happens while it is idle (the server closing it, or speaking out of turn).
 */
class Connection {
  private job?: Job;
  private reader?: ResponseReader;
  /** When the request in flight was written. */
  sentAt = 0;
  /** It has carried a request before: closing before any byte of the next answer means it went stale. */
  private reused = false;
  private closed = false;

  private readonly socket: Socket;

  constructor(private readonly origin: Origin) {
    const socket = origin.connect((data) => this.data(data));
    this.socket = socket;
    // Inactivity: an idle connection closes before a server's usual keep-alive timeout; a request's own
    // deadline is its check's.
    socket.setTimeout(IDLE_MS, () => {
      if (!this.job) this.close();
    });
    socket.on('end', () => this.ended());
    socket.on('close', () => this.ended());
    socket.on('error', (error: Error) => this.failed(error));
    // Connections never keep the process alive (an idle one must not); requests in flight do, see inFlight.
    socket.unref();
  }

  run(job: Job): void {
    this.job = job;
    job.connection = this;
    this.reader = new ResponseReader(job.prepared.reader);
    this.sentAt = performance.now();
    this.origin.busy.add(this);
    this.socket.write(job.prepared.head, 'latin1');
  }

  /** The request's deadline passed: the connection is in an unknown state, and closes. */
  abandon(job: Job): void {
    if (this.job !== job) return;
    this.job = undefined;
    this.origin.busy.delete(this);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const index = this.origin.idle.indexOf(this);
    if (index !== -1) this.origin.idle.splice(index, 1);
    this.socket.destroy();
    this.origin.open--;
    this.origin.pump();
  }

  private data(data: Buffer): void {
    if (!this.job) return this.close();
    let response: ParsedResponse | undefined;
    try {
      response = this.reader!.push(data);
    } catch (error) {
      return this.settle(error);
    }
    if (response) this.settle(undefined, response);
  }

  private ended(): void {
    if (!this.job) return this.close();
    let response: ParsedResponse;
    try {
      response = this.reader!.end();
    } catch (error) {
      return this.reused && !this.reader!.received ? this.stale() : this.settle(error);
    }
    this.settle(undefined, response);
  }

  private failed(error: Error): void {
    if (!this.job) return this.close();
    if (this.reused && !this.reader!.received) return this.stale();
    this.settle(error);
  }

  private stale(): void {
    const job = this.job!;
    this.job = undefined;
    this.origin.busy.delete(this);
    this.close();
    if (job.retried) job.reject(new HttpResponseError('the connection closed before any response'));
    else this.origin.retry(job);
  }

  private settle(error: unknown, response?: ParsedResponse): void {
    const job = this.job!;
    this.job = undefined;
    this.origin.busy.delete(this);
    this.reader = undefined;
    if (response) {
      this.origin.answeredAt = performance.now();
      response.elapsedMs = this.origin.answeredAt - this.sentAt;
    }
    if (response?.reusable && !this.closed && !this.socket.destroyed) {
      this.reused = true;
      this.origin.idle.push(this);
      this.origin.pump();
    } else this.close();
    if (response) job.resolve(response);
    else job.reject(error);
  }
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

function originFor(url: URL, insecure: boolean): Origin {
  const tls = url.protocol === 'https:';
  const port = Number(url.port) || (tls ? 443 : 80);
  // URL.hostname keeps an IPv6 address's brackets, which a connection does not take.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const key = `${url.protocol}//${host}:${port}${insecure ? ' insecure' : ''}`;
  let origin = origins.get(key);
  if (!origin) {
    origin = new Origin(tls, host, port, insecure);
    origins.set(key, origin);
  }
  return origin;
}

