import {timingSafeEqual} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import type {HistoryRequest, PageSettings} from '../core/app/history.js';
import type {HistoryView} from '../core/history/view.js';
import {parseDuration} from '../core/text/duration.js';
import {apiIncidents, apiServices, apiUptime} from './api.js';
import {BADGES, serviceBadge, type BadgeName} from './badges.js';
import {renderPage} from './render.js';

/**
 * The status page: read-only, over HTTP, served by `foggy watch --listen`. Routes and nothing else: / (the page),
 * /api/v1/… (the same as JSON), /badge/SERVICE/NAME.svg (for READMEs), /healthz (for the service manager). A
 * bearer token (FOGGY_PAGE_TOKEN), when set, guards everything but the badges. Bad paths are 404, bad query values
 * 400, other methods 405; no file is ever read from a path, so nothing outside the routes can be reached.
 */
export interface PageSource {
  view(request: Omit<HistoryRequest, 'configPath'>): Promise<HistoryView>;
  page(): Promise<PageSettings>;
  /** The catalog's services, by name: a request naming another is the request's mistake (400). */
  services(): Promise<string[]>;
}

export interface PageServerOptions {
  /** host:port, or a port alone (then loopback). */
  listen: string;
  source: PageSource;
  /** Required of every request but the badges' (Authorization: Bearer …, or ?token=…), when set. */
  token?: string;
  /** The watcher's own health, for /healthz. */
  health: () => {rounds: number; lastRoundAt?: string};
  note: (line: string) => void;
  refreshSeconds?: number;
  /** How long computed figures are served again before they are computed anew (2 s by default). */
  freshMs?: number;
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

const MAX_PATH = 512;
const MAX_QUERY = 1024;
/** Requests answered at once; past that, 503 at once (a page under a flood stays a page, and the watcher watches). */
const MAX_IN_FLIGHT = 64;
/** The page and the API are computed at most this often; every request in between gets the same figures. */
const FRESH_MS = 2_000;
const SERVICE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/** A request that cannot be answered as asked: its status and a line saying why. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080", or "8080" (loopback). */
export function parseListen(listen: string): {host: string; port: number} {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(listen.trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || !(port >= 0 && port <= 65_535)) throw new Error(`expected [host:]port such as 127.0.0.1:8080 (got ${JSON.stringify(listen)})`);
  return {host: match[1]?.replace(/^\[|\]$/g, '') ?? '127.0.0.1', port};
}

export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const {host, port} = parseListen(options.listen);
  const freshMs = options.freshMs ?? FRESH_MS;
  const cache = new Map<string, {madeAt?: number; value: Promise<unknown>}>();
  let inFlight = 0;
  // Figures being computed are shared by every request that asks meanwhile; once made, they serve for freshMs.
  const fresh = <T>(key: string, make: () => Promise<T>): Promise<T> => {
    const known = cache.get(key);
    if (known && (known.madeAt === undefined || Date.now() - known.madeAt < freshMs)) return known.value as Promise<T>;
    const entry: {madeAt?: number; value: Promise<unknown>} = {value: make()};
    entry.value.then(
      () => (entry.madeAt = Date.now()),
      () => cache.get(key) === entry && cache.delete(key),
    );
    cache.set(key, entry);
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
    return entry.value as Promise<T>;
  };

  /** Every service over the standard windows: what the page, the badges and most of the API show. */
  const whole = () => fresh('view', () => options.source.view({}));

  const server: Server = createServer({maxHeaderSize: 8192, requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000}, (request, response) => {
    if (inFlight >= MAX_IN_FLIGHT) {
      send(request, response, 503, 'text/plain; charset=utf-8', 'Busy: try again in a moment.\n', {'retry-after': '1'});
      return;
    }
    inFlight++;
    response.on('close', () => inFlight--);
    answer(request, response).catch((error: unknown) => {
      if (error instanceof Refused) {
        send(request, response, error.status, 'text/plain; charset=utf-8', `${error.message}\n`, error.headers);
        return;
      }
      options.note(`The status page could not answer ${request.url?.slice(0, 100)}: ${(error as Error).message}`);
      send(request, response, 503, 'text/plain; charset=utf-8', 'The history cannot be read right now.\n', {'retry-after': '5'});
    });
  });
  server.maxConnections = 512;

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? '/';
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new Refused(405, 'Only GET and HEAD: the page is read-only.', {allow: 'GET, HEAD'});
    const cut = raw.indexOf('?');
    const path = cut === -1 ? raw : raw.slice(0, cut);
    const query = cut === -1 ? '' : raw.slice(cut + 1);
    if (path.length > MAX_PATH) throw new Refused(414, 'The path is too long.');
    if (query.length > MAX_QUERY) throw new Refused(414, 'The query is too long.');
    // Only the routes' own characters: no dot segments, no encoded slashes, no backslashes, no other hosts.
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(path) || /(^|\/)\.\.?(\/|$)|\/\//.test(path)) throw new Refused(404, 'Not found.');
    const params = parseQuery(query);
    const parts = path.split('/').filter(Boolean);

    if (parts[0] === 'badge') return badgeRoute(request, response, parts, params);
    // Unknown paths are not found, token or not; known ones need it.
    if (!(path === '/' || path === '/index.html' || path === '/healthz' || (parts[0] === 'api' && parts[1] === 'v1' && parts.length >= 3))) throw new Refused(404, 'Not found.');
    authorise(request, params);
    if (path === '/' || path === '/index.html') {
      allow(params, ['token']);
      const settings = await options.source.page();
      const page = await fresh('page', async () => new Body(renderPage(await whole(), {title: settings.title ?? 'foggy status', refreshSeconds: options.refreshSeconds ?? 30, base: '/'})));
      return send(request, response, 200, 'text/html; charset=utf-8', page);
    }
    if (path === '/healthz') {
      allow(params, ['token']);
      return json(request, response, {ok: true, ...options.health()});
    }
    if (parts[0] === 'api' && parts[1] === 'v1') return apiRoute(request, response, parts.slice(2), params);
    throw new Refused(404, 'Not found.');
  }

  async function apiRoute(request: IncomingMessage, response: ServerResponse, parts: string[], params: Map<string, string>): Promise<void> {
    if (parts.length === 1 && parts[0] === 'services') {
      allow(params, ['token']);
      const body = await fresh('api-services', async () => new Body(jsonText(apiServices(await whole()))));
      return send(request, response, 200, JSON_TYPE, body);
    }
    if (parts.length === 2 && parts[0] === 'services') {
      allow(params, ['token']);
      const name = serviceName(parts[1]);
      const view = await whole();
      const service = view.services.find((candidate) => candidate.service === name);
      if (!service) throw new Refused(404, `No service "${name}".`);
      return json(request, response, {generatedAt: view.generatedAt, service});
    }
    if (parts.length === 1 && parts[0] === 'uptime') {
      allow(params, ['token', 'service', 'since', 'from', 'to']);
      const period = periodOf(params);
      const services = servicesOf(params, await options.source.services());
      const view = await options.source.view({services, period});
      return json(request, response, apiUptime(view, period));
    }
    if (parts.length === 1 && parts[0] === 'incidents') {
      allow(params, ['token', 'service', 'since', 'from', 'to']);
      const period = periodOf(params);
      return json(request, response, apiIncidents(await options.source.view({services: servicesOf(params, await options.source.services()), period})));
    }
    if (parts.length === 1 && parts[0] === 'runs') {
      allow(params, ['token', 'limit']);
      const limit = params.has('limit') ? Number(params.get('limit')) : 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new Refused(400, 'limit: a whole number from 1 to 200.');
      const view = await whole();
      return json(request, response, {generatedAt: view.generatedAt, runs: view.runs.slice(0, limit)});
    }
    throw new Refused(404, 'Not found.');
  }

  async function badgeRoute(request: IncomingMessage, response: ServerResponse, parts: string[], params: Map<string, string>): Promise<void> {
    allow(params, []);
    const file = /^([a-z0-9-]+)\.svg$/.exec(parts[2] ?? '');
    if (parts.length !== 3 || !file || !BADGES.includes(file[1] as BadgeName)) throw new Refused(404, 'Not found: badges are /badge/SERVICE/status.svg, uptime-30d.svg or response-time.svg.');
    const name = serviceName(parts[1]);
    const view = await whole();
    const service = view.services.find((candidate) => candidate.service === name);
    if (!service) throw new Refused(404, `No service "${name}".`);
    send(request, response, 200, 'image/svg+xml; charset=utf-8', serviceBadge(service, file[1] as BadgeName), {'cache-control': 'max-age=60'});
  }

  function authorise(request: IncomingMessage, params: Map<string, string>): void {
    if (!options.token) return;
    const header = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const given = header ?? params.get('token');
    if (given !== undefined && sameSecret(given, options.token)) return;
    throw new Refused(401, 'This page needs its token: Authorization: Bearer TOKEN (or ?token=TOKEN).', {'www-authenticate': 'Bearer realm="foggy"'});
  }

  function json(request: IncomingMessage, response: ServerResponse, value: unknown): void {
    send(request, response, 200, JSON_TYPE, jsonText(value));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Query parameters, each at most once; a malformed one is a bad request. */
function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (!query) return params;
  for (const part of query.split('&')) {
    if (!part) continue;
    const [key, ...rest] = part.split('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(key.replaceAll('+', ' '));
      value = decodeURIComponent(rest.join('=').replaceAll('+', ' '));
    } catch {
      throw new Refused(400, 'The query is not valid (a malformed % escape).');
    }
    if (params.has(name)) throw new Refused(400, `${name}: given twice.`);
    params.set(name, value);
  }
  return params;
}

function allow(params: Map<string, string>, names: string[]): void {
  for (const name of params.keys()) if (!names.includes(name)) throw new Refused(400, `Unknown query parameter ${JSON.stringify(name.slice(0, 40))}${names.filter((n) => n !== 'token').length > 0 ? ` (this route takes ${names.filter((n) => n !== 'token').join(', ')})` : ''}.`);
}

function serviceName(text: string | undefined): string {
  if (!text || !SERVICE_NAME.test(text)) throw new Refused(404, 'Not found.');
  return text;
}

function servicesOf(params: Map<string, string>, known: readonly string[]): string[] | undefined {
  const text = params.get('service');
  if (text === undefined) return undefined;
  const names = text.split(',');
  for (const name of names) {
    if (!SERVICE_NAME.test(name)) throw new Refused(400, `service: not a service name: ${JSON.stringify(name.slice(0, 40))}.`);
    if (!known.includes(name)) throw new Refused(400, `service: no service "${name}" in the catalog.`);
  }
  return names;
}

/** since=30d, or from and to (ISO dates or times); default the last 30 days. At most five years. */
function periodOf(params: Map<string, string>): {from: number; to: number} {
  const now = Date.now();
  if (params.has('since') && (params.has('from') || params.has('to'))) throw new Refused(400, 'since, or from and to: not both.');
  if (params.has('since')) {
    let ms: number;
    try {
      ms = parseDuration(params.get('since')!);
    } catch {
      throw new Refused(400, `since: not a duration such as 24h, 7d or 30d (got ${JSON.stringify(params.get('since')!.slice(0, 40))}).`);
    }
    if (!(ms >= 60_000 && ms <= 5 * 365 * 86_400_000)) throw new Refused(400, 'since: from 1m to 5 years.');
    return {from: now - ms, to: now};
  }
  const instant = (name: string, fallback: number) => {
    const text = params.get(name);
    if (text === undefined) return fallback;
    const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : Number.NaN;
    if (Number.isNaN(at)) throw new Refused(400, `${name}: not a date or an ISO time (got ${JSON.stringify(text.slice(0, 40))}).`);
    return at;
  };
  const to = instant('to', now);
  const from = instant('from', to - 30 * 86_400_000);
  if (!(from < to)) throw new Refused(400, 'from must be before to.');
  if (to - from > 5 * 365 * 86_400_000) throw new Refused(400, 'The period is longer than five years.');
  return {from, to};
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

const JSON_TYPE = 'application/json; charset=utf-8';
const jsonText = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

/** A body served many times (the page between two computations): its bytes and their gzip made once each. */
class Body {
  private plain?: Buffer;
  private zipped?: Buffer;

  constructor(readonly text: string) {}

  /** The bytes to send, gzipped when the client takes it and it is worth it (over a kilobyte). */
  bytes(gzip: boolean): {payload: Buffer; gzipped: boolean} {
    this.plain ??= Buffer.from(this.text);
    if (!gzip || this.plain.length <= 1024) return {payload: this.plain, gzipped: false};
    return {payload: (this.zipped ??= gzipSync(this.plain)), gzipped: true};
  }
}

function send(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string | Body, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const {payload, gzipped} = (typeof body === 'string' ? new Body(body) : body).bytes(gzip);
  const encoding: Record<string, string> = gzipped ? {'content-encoding': 'gzip'} : {};
  response.writeHead(status, {'content-type': type, 'content-length': String(payload.length), 'cache-control': 'no-store', vary: 'accept-encoding', ...SECURITY_HEADERS, ...encoding, ...headers});
  response.end(request.method === 'HEAD' ? undefined : payload);
}
