import {prepareRequest, type PreparedRequest} from './http-client.js';
import type {ProxyRoute} from './http-proxy.js';
import type {ParsedResponse} from './http-response.js';

/**
 * Redirects, followed as fetch follows them: at most MAX_REDIRECTS, GET and HEAD kept as they are, and on
 * the way to another origin the credentials stay behind (the URL's user:password, Authorization, cookies,
 * and any header whose name says it carries a secret).
 */

export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export class RedirectError extends Error {}

/** Headers that carry credentials: they never follow a redirect to another origin, and are masked. */
export const CREDENTIAL_HEADER = /authorization|cookie|token|secret|api[-_]?key|password|auth/i;

/** The Location to go to next, when the check follows this answer; undefined to judge the answer itself. */
export function redirectLocation(response: ParsedResponse, follow: boolean, expected: number[] | undefined): string | undefined {
  if (!follow || !REDIRECTS.has(response.status)) return undefined;
  // A check that expects this very status judges it as it is.
  if (expected?.includes(response.status)) return undefined;
  // No Location: nowhere to go, the 3xx is the answer (as fetch returns it).
  return response.headers.location || undefined;
}

/** The request a redirect leads to, made ready once per Location: a watcher follows it every round. */
export function redirectRequest(from: PreparedRequest, location: string, proxyFor: (url: URL) => ProxyRoute | undefined): PreparedRequest {
  const known = from.redirects.get(location);
  if (known) return known;
  let target: URL;
  try {
    target = new URL(location, from.url);
  } catch {
    throw new RedirectError(`redirected to an invalid Location (${JSON.stringify(location.slice(0, 60))})`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new RedirectError(`redirected to a ${target.protocol.slice(0, -1)}: URL, which is not HTTP`);
  const sameOrigin = target.origin === from.url.origin;
  if (!sameOrigin && (target.username || target.password)) throw new RedirectError('redirected to another origin with credentials in the URL (refused, as fetch does)');
  const headers = sameOrigin ? from.request.headers : Object.fromEntries(Object.entries(from.request.headers).filter(([name]) => !CREDENTIAL_HEADER.test(name)));
  // A server name given for the check's host is not the name of another host.
  const tls = target.hostname === from.url.hostname ? from.request.tls : {...from.request.tls, servername: undefined};
  const next = prepareRequest({...from.request, url: target.href, headers, tls, proxy: proxyFor(target)});
  // Bounded: a server may send a new Location every time.
  if (from.redirects.size >= 16) from.redirects.clear();
  from.redirects.set(location, next);
  return next;
}

/** Where an answer came from, for a detail: the path on the same origin, else the URL (without credentials). */
export function shownUrl(url: URL, first: URL): string {
  if (url.origin === first.origin) return `${url.pathname}${url.search}`;
  return `${url.protocol}//${url.host}${url.pathname}${url.search}`;
}
