import {isAbsolute, resolve} from 'node:path';
import {prepareRequest, sendRequest, type PreparedRequest} from '../http-client.js';
import {DecodeError, decodeBody} from '../http-decode.js';
import {parseProxy, ProxyError, proxyFor} from '../http-proxy.js';
import {CREDENTIAL_HEADER, MAX_REDIRECTS, redirectLocation, redirectRequest, shownUrl} from '../http-redirect.js';
import type {ParsedResponse} from '../http-response.js';
import {days, type TlsSettings} from '../http-tls.js';
import type {ProbeOutcome} from '../types.js';
import type {CheckKind} from './kind.js';
import type {HttpCheck} from '../check-types.js';

/** Bodies are read only this far (decoded, when compressed): enough to find the expected text, bounded against huge pages. */
const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

const file = {type: 'string', minLength: 1};

/** `http: URL`: the answer's status (after redirects), and what the check expects of its headers, body and certificate. */
export const httpKind: CheckKind<HttpCheck> = {
  type: 'http',
  key: 'http',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: {type: 'string'},
      http: {type: 'string', pattern: '^https?://', description: 'an http:// or https:// URL'},
      method: {enum: ['GET', 'HEAD']},
      headers: {type: 'object', additionalProperties: {type: 'string'}, description: 'request headers'},
      insecure: {type: 'boolean', description: 'accept any TLS certificate (as tls.insecure)'},
      tls: {
        type: 'object',
        additionalProperties: false,
        description: 'TLS settings of this check; files are relative to foggy.yml',
        properties: {
          ca: {...file, description: 'a PEM file of the CAs to trust for this check, instead of the system\'s'},
          cert: {...file, description: 'a PEM file of the client certificate, for servers that ask for one (with key)'},
          key: {...file, description: 'a PEM file of the client certificate\'s key (with cert)'},
          servername: {...file, description: 'the name to ask the server for (SNI) and to verify its certificate against'},
          insecure: {type: 'boolean', description: 'accept any certificate'},
        },
      },
      proxy: {type: 'string', minLength: 1, description: 'a proxy URL (http:// or https://) for this check, or none; default: HTTPS_PROXY, HTTP_PROXY and NO_PROXY'},
      follow_redirects: {type: 'boolean', description: 'follow redirects (default true, up to 10) and judge the final answer'},
      timeout: {$ref: '#/definitions/duration'},
      expect: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: {
            anyOf: [
              {type: 'integer', minimum: 100, maximum: 599},
              {type: 'array', minItems: 1, items: {type: 'integer', minimum: 100, maximum: 599}},
            ],
            description: 'an HTTP status code or a list of them (default: any 2xx or 3xx)',
          },
          body: {type: 'string', description: 'text the body must contain'},
          bodyPattern: {type: 'string', description: 'a regular expression the body must match'},
          headers: {type: 'object', additionalProperties: {type: 'string'}, description: 'response headers that must contain these values'},
          certificate_days: {type: 'integer', minimum: 1, maximum: 3650, description: 'down when the server\'s certificate expires within this many days'},
        },
      },
    },
  },
  variables: {keys: ['http', 'proxy'], maps: ['headers'], secret: (key, raw) => (key === 'http' || key === 'proxy') && userinfo(raw).includes('${')},

  normalise(raw, {path, located, regex, dir, timeoutMs}) {
    const url = raw.http as string;
    try {
      new URL(url);
    } catch {
      throw located([...path, 'http'], `expected a URL such as http://127.0.0.1:8080/health (got ${JSON.stringify(url)})`);
    }
    const rawExpect = (raw.expect ?? {}) as {status?: number | number[]; body?: string; bodyPattern?: string; headers?: Record<string, string>; certificate_days?: number};
    if (rawExpect.bodyPattern !== undefined) regex(rawExpect.bodyPattern, [...path, 'expect', 'bodyPattern']);
    const rawTls = (raw.tls ?? {}) as {ca?: string; cert?: string; key?: string; servername?: string; insecure?: boolean};
    if ((rawTls.cert === undefined) !== (rawTls.key === undefined)) throw located([...path, 'tls', rawTls.cert === undefined ? 'key' : 'cert'], 'expected tls.cert and tls.key together (a client certificate and its key)');
    const inCatalog = (name: string) => (isAbsolute(name) ? name : resolve(dir, name));
    const proxy = raw.proxy as string | undefined;
    if (proxy !== undefined && proxy !== 'none') {
      try {
        parseProxy(proxy, 'proxy');
      } catch (error) {
        throw located([...path, 'proxy'], `expected none or an http:// or https:// proxy URL (${(error as ProxyError).message})`);
      }
    }
    const {certificate_days: certificateDays, status, ...expect} = rawExpect;
    // Keys only when given: the normalised catalog is cached and shown (services, --dry-run) as it is.
    const tls: TlsSettings = {insecure: raw.insecure === true || rawTls.insecure === true};
    if (rawTls.ca !== undefined) tls.ca = inCatalog(rawTls.ca);
    if (rawTls.cert !== undefined) tls.cert = inCatalog(rawTls.cert);
    if (rawTls.key !== undefined) tls.key = inCatalog(rawTls.key);
    if (rawTls.servername !== undefined) tls.servername = rawTls.servername;
    return {
      type: 'http',
      name: (raw.name as string | undefined) ?? url,
      url,
      method: (raw.method as 'GET' | 'HEAD' | undefined) ?? 'GET',
      headers: (raw.headers as Record<string, string> | undefined) ?? {},
      tls,
      ...(proxy === undefined ? {} : {proxy}),
      followRedirects: raw.follow_redirects !== false,
      timeoutMs,
      expect: {...expect, ...(status === undefined ? {} : {status: [status].flat()}), ...(certificateDays === undefined ? {} : {certificateDays})},
    };
  },

  secrets(check) {
    const values: string[] = [];
    for (const url of [check.url, check.proxy]) {
      // Only a URL with an @ can hold a password: parsing each of a thousand URLs costs more than this.
      if (!url?.includes('@')) continue;
      try {
        const password = new URL(url).password;
        if (password) values.push(decodeURIComponent(password), password);
      } catch {
        // Validated when the catalog loaded.
      }
    }
    for (const name in check.headers) {
      const value = check.headers[name];
      if (CREDENTIAL_HEADER.test(name)) values.push(value.replace(/^(?:bearer|basic|token)\s+/i, ''), value);
    }
    return values;
  },

  probe(check, deadline, context, settle) {
    let first: PreparedRequest;
    try {
      first = prepared(check, context.env);
    } catch (error) {
      return settle(error);
    }
    const route = (url: URL) => proxyFor(url, check.proxy, context.env);
    // Each answer: judged, or (a redirect) followed, adding its status to the chain and its time to the latency.
    const hop = (request: PreparedRequest, chain: number[], spentMs: number) =>
      sendRequest(request, deadline, (error, response) => {
        if (response === undefined) return settle(error);
        const latencyMs = spentMs + response.elapsedMs;
        let outcome: ProbeOutcome;
        try {
          const location = redirectLocation(response, check.followRedirects, check.expect.status);
          if (location !== undefined) {
            if (chain.length >= MAX_REDIRECTS) return settle(undefined, {ok: false, detail: `too many redirects (more than ${MAX_REDIRECTS}): ${[...chain, response.status].slice(0, 4).join(' → ')} → …`, latencyMs});
            return hop(redirectRequest(request, location, route), [...chain, response.status], latencyMs);
          }
          outcome = judge(check, response, {chain, at: chain.length > 0 ? shownUrl(request.url, first.url) : undefined, latencyMs});
        } catch (judging) {
          return settle(judging);
        }
        settle(undefined, outcome);
      });
    hop(first, [], 0);
  },
};

function userinfo(raw: string): string {
  const authority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0];
  return authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : '';
}

/** The answer judged against what the check expects; the detail names the redirects that led to it. */
function judge(check: HttpCheck, response: ParsedResponse, how: {chain: number[]; at?: string; latencyMs: number}): ProbeOutcome {
  const {latencyMs} = how;
  const status = response.status;
  const statusText = response.statusMessage ? `${status} ${response.statusMessage}` : String(status);
  const reached = how.chain.length === 0 ? statusText : `${how.chain.join(' → ')} → ${statusText} at ${how.at}`;
  const down = (why: string) => ({ok: false, detail: `${reached}, but ${why}`, latencyMs});

  const expectedStatus = check.expect.status;
  if (expectedStatus ? !expectedStatus.includes(status) : status < 200 || status >= 400) {
    return {ok: false, detail: `${how.chain.length === 0 ? 'status ' : ''}${reached}, expected ${expectedStatus ? expectedStatus.join(' or ') : '2xx or 3xx'}`, latencyMs};
  }
  if (check.expect.headers) {
    for (const [name, value] of Object.entries(check.expect.headers)) {
      const actual = response.headers[name.toLowerCase()];
      if (!(actual ?? '').includes(value)) return down(`header ${name} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
    }
  }
  let certificate = '';
  if (check.expect.certificateDays !== undefined) {
    if (!response.certificate) return down(`it did not come over TLS, so it has no certificate to check (certificate_days)`);
    const left = response.certificate.validTo - Date.now();
    const when = `in ${days(left)} (on ${new Date(response.certificate.validTo).toISOString().slice(0, 10)})`;
    if (left < check.expect.certificateDays * DAY_MS) return down(`its certificate expires ${when}, within ${check.expect.certificateDays} days`);
    certificate = `; certificate expires ${when}`;
  }
  if (check.expect.body !== undefined || check.expect.bodyPattern !== undefined) {
    let body: string;
    try {
      body = decodeBody(response.body, response.headers['content-encoding'], MAX_BODY_BYTES).toString('utf8');
    } catch (error) {
      if (error instanceof DecodeError) return down(error.message);
      throw error;
    }
    if (check.expect.body !== undefined && !body.includes(check.expect.body)) return down(`the body does not contain ${JSON.stringify(check.expect.body)}`);
    if (check.expect.bodyPattern !== undefined && !new RegExp(check.expect.bodyPattern).test(body)) return down(`the body does not match /${check.expect.bodyPattern}/`);
  }
  return {ok: true, detail: `${reached}${certificate}`, latencyMs};
}

/** Each check's request is made ready once: a watcher sends the same ones round after round. */
const requests = new WeakMap<HttpCheck, PreparedRequest>();

function prepared(check: HttpCheck, env: NodeJS.ProcessEnv): PreparedRequest {
  let request = requests.get(check);
  if (!request) {
    let url: URL;
    try {
      url = new URL(check.url);
    } catch {
      throw new Error(`${JSON.stringify(check.url)} is not a valid URL`);
    }
    const judgesBody = check.expect.body !== undefined || check.expect.bodyPattern !== undefined;
    const keepHeaders = check.expect.headers !== undefined;
    request = prepareRequest({
      url,
      method: check.method,
      headers: check.headers,
      tls: check.tls,
      proxy: proxyFor(url, check.proxy, env),
      keepBody: judgesBody,
      keepHeaders,
      maxBodyBytes: MAX_BODY_BYTES,
      // The status alone: decided at the head, whatever the body does (a stream, a slow page).
      settleAtHead: !judgesBody && !keepHeaders,
    });
    requests.set(check, request);
  }
  return request;
}
