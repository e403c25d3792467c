/**
 * Which proxy an HTTP check goes through, as curl decides it: HTTPS_PROXY for https URLs, HTTP_PROXY for
 * http ones, ALL_PROXY for either, each also lower-case (which wins); NO_PROXY lists the hosts reached
 * directly. A check may name its own proxy in the catalog, or `none`.
 */

/** A proxy to go through: where it is, and the credentials its URL carried (sent as Proxy-Authorization). */
export interface ProxyRoute {
  /** http: or https: (TLS to the proxy itself). */
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
  /** `Basic …`, from the proxy URL's user:password. */
  authorization?: string;
  /** For messages and the pool's key: the proxy without its credentials. */
  label: string;
}

/** Where a check's proxy comes from: the environment, none at all, or the catalog's URL. */
export type ProxySetting = undefined | 'none' | string;

export class ProxyError extends Error {}

const VARIABLES: Record<'http:' | 'https:', string[]> = {
  'http:': ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'],
  'https:': ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'],
};

/** The proxy for a request to `target`, or undefined to connect directly. */
export function proxyFor(target: URL, setting: ProxySetting, env: NodeJS.ProcessEnv): ProxyRoute | undefined {
  if (setting === 'none') return undefined;
  if (setting !== undefined) return parseProxy(setting, 'the check\'s proxy');
  const found = environmentProxy(target.protocol as 'http:' | 'https:', env);
  if (!found) return undefined;
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  if (bypassed(hostOf(target), port, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  return parseProxy(found.value, found.name);
}

type Found = {name: string; value: string} | undefined;

/**
 * Read once per environment and scheme: each read of process.env is a call into the C library, and a
 * status of a thousand services asks for every check. The environment does not change under a run.
 */
const known = new WeakMap<NodeJS.ProcessEnv, Partial<Record<'http:' | 'https:', Found>>>();

/** The environment variable naming a proxy for this scheme, if any. */
export function environmentProxy(protocol: 'http:' | 'https:', env: NodeJS.ProcessEnv): Found {
  let byProtocol = known.get(env);
  if (!byProtocol) known.set(env, (byProtocol = {}));
  if (protocol in byProtocol) return byProtocol[protocol];
  let found: Found;
  for (const name of VARIABLES[protocol]) {
    const value = env[name]?.trim();
    if (value) {
      found = {name, value};
      break;
    }
  }
  byProtocol[protocol] = found;
  return found;
}

/** A proxy URL as curl takes it: a bare host:port is http://. Only http and https proxies are spoken. */
export function parseProxy(value: string, source: string): ProxyRoute {
  const written = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new ProxyError(`${source} is not a proxy URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProxyError(`${source} is a ${url.protocol.slice(0, -1)} proxy; foggy speaks to http and https proxies only`);
  // URL drops a scheme's default port (http://proxy:80 has port ""): the port is read as written; curl's default is 1080.
  const port = Number(/^[^:]+:\/\/(?:[^@/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*):(\d+)/.exec(written)?.[1] ?? (url.protocol === 'https:' ? 443 : 1080));
  const authorization = url.username || url.password ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : undefined;
  return {protocol: url.protocol, host: hostOf(url), port, authorization, label: `${url.protocol}//${url.hostname}:${port}`};
}

/** URL.hostname keeps an IPv6 address's brackets, which a connection (and a comparison) does not take. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * NO_PROXY, as curl reads it: a comma-separated list of host names (matching the name and every name
 * below it; a leading dot or "*." changes nothing), IP addresses, CIDR ranges (10.0.0.0/8, fd00::/8), each
 * optionally with a port; "*" alone matches every host.
 */
export function bypassed(target: string, port: number, noProxy: string): boolean {
  const host = target.toLowerCase();
  for (const raw of noProxy.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const {name, entryPort} = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (name.includes('/')) {
      if (inRange(host, name)) return true;
      continue;
    }
    const bare = name.replace(/^\*?\./, '');
    if (!bare) continue;
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function splitPort(entry: string): {name: string; entryPort?: number} {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return {name: bracketed[1], entryPort: bracketed[2] === undefined ? undefined : Number(bracketed[2])};
  // An IPv6 address (or range) without brackets has several colons: no port.
  if ((entry.match(/:/g) ?? []).length > 1) return {name: entry};
  const colon = entry.lastIndexOf(':');
  if (colon !== -1 && /^\d+$/.test(entry.slice(colon + 1))) return {name: entry.slice(0, colon), entryPort: Number(entry.slice(colon + 1))};
  return {name: entry};
}

/** Whether an IP address lies in a CIDR range (both IPv4, or both IPv6); a host name is in no range. */
function inRange(host: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const address = ipBytes(host);
  const network = ipBytes(base);
  const bits = Number(bitsText);
  if (!address || !network || address.length !== network.length || !Number.isInteger(bits) || bits < 0 || bits > address.length * 8) return false;
  for (let bit = 0; bit < bits; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((address[bit >> 3] & mask) !== (network[bit >> 3] & mask)) return false;
  }
  return true;
}

function ipBytes(text: string): number[] | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    return bytes.every((byte) => byte <= 255) ? bytes : undefined;
  }
  if (!text.includes(':')) return undefined;
  let halves = text.split('::');
  if (halves.length > 2) return undefined;
  // An IPv4 tail (::ffff:10.0.0.1) is two groups.
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (tail) {
    const four = ipBytes(tail[1]);
    if (!four) return undefined;
    halves = text.replace(tail[1], `${((four[0] << 8) | four[1]).toString(16)}:${((four[2] << 8) | four[3]).toString(16)}`).split('::');
  }
  const groups = (part: string) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array.from({length: missing}, () => '0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return all.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** What `foggy doctor` says of the proxies checks use (credentials left out), and whether they can be used. */
export function describeEnvironmentProxies(env: NodeJS.ProcessEnv): {ok: boolean; detail: string} {
  const parts: string[] = [];
  let ok = true;
  for (const protocol of ['https:', 'http:'] as const) {
    const found = environmentProxy(protocol, env);
    if (!found) continue;
    try {
      parts.push(`${protocol.slice(0, -1)} checks through ${parseProxy(found.value, found.name).label} (${found.name})`);
    } catch (error) {
      ok = false;
      parts.push((error as Error).message);
    }
  }
  if (parts.length === 0) return {ok, detail: 'none: checks connect directly (HTTPS_PROXY, HTTP_PROXY and NO_PROXY are not set)'};
  const noProxy = (env.no_proxy ?? env.NO_PROXY)?.trim();
  return {ok, detail: `${parts.join('; ')}${noProxy ? `; direct to ${noProxy} (NO_PROXY)` : ''}`};
}
