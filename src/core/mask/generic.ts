import {entropy} from './entropy.js';

/**
 * Secrets no fixed pattern knows: most of what real deploy output leaks is `something_token = "…"`, in a
 * config dump, an env listing, a client's debug line. As gitleaks' generic rule does, a value is a secret
 * when its key says so (password, token, key, secret…), or when it is assigned and looks random (long,
 * high entropy, letters and digits), and so is a long random token standing alone or behind a vendor
 * prefix (ghp_…, glpat-…, dop_v1_…) — unless it is one of the random-looking things that are not secrets:
 * commit SHAs and digests, UUIDs, versions, times, URLs and paths, base64 of plain text.
 */

/**
 * What a key's name says of its value, from its words (GIT_COMMIT, traceId, X-B3-SpanId and vcs-ref are read
 * the same way): a secret (password, token, api_key, client_secret …), something that is not one (a commit,
 * a digest, a version, an id, a time, a host …), or nothing (then the value is judged by how random it is).
 */
export type KeyKind = 'secret' | 'public' | 'neutral';

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'credential', 'credentials', 'creds', 'auth', 'authorization', 'authtoken', 'private', 'signature', 'sig', 'salt', 'session', 'cookie', 'bearer', 'dsn', 'license', 'webhook', 'jwt', 'otp', 'pin', 'sas', 'hmac']);
/** Words that make a secret only together: an api key, an access key, a client's id. */
const SECRET_PAIRS = /(?:^|_)(?:api_key|access_key|private_key|secret_key|signing_key|encryption_key|master_key|app_key|consumer_key|client_id|client_key|account_key|license_key|key)(?:_|$)/;
const PUBLIC_WORDS = new Set(['sha', 'sha1', 'sha256', 'sha512', 'md5', 'checksum', 'digest', 'hash', 'commit', 'rev', 'revision', 'ref', 'version', 'ver', 'tag', 'release', 'build', 'uuid', 'guid', 'ulid', 'uid', 'id', 'ids', 'trace', 'traceparent', 'tracestate', 'span', 'parent', 'request', 'req', 'correlation', 'etag', 'fingerprint', 'time', 'timestamp', 'ts', 'at', 'date', 'started', 'ended', 'created', 'updated', 'expires', 'ns', 'ms', 'host', 'hostname', 'url', 'uri', 'endpoint', 'upstream', 'path', 'dir', 'file', 'image', 'region', 'zone', 'number', 'num', 'count', 'size', 'length', 'pipeline', 'job', 'run', 'workflow', 'deployment', 'deploy', 'event', 'sequence', 'seq', 'offset', 'index', 'pid', 'port', 'name', 'type', 'format', 'ttl', 'expiry', 'branch', 'node', 'pod', 'container']);
/** The last word of a key that describes a secret instead of holding it: token_url, secret_name, password_length. */
const DESCRIBING = new Set(['url', 'uri', 'endpoint', 'path', 'file', 'dir', 'name', 'length', 'size', 'count', 'type', 'format', 'time', 'at', 'expires', 'expiry', 'ttl', 'version', 'hash', 'fingerprint', 'header', 'field', 'env', 'var', 'ref', 'policy', 'rotation', 'kind']);

/** A key's words, lower-case: camelCase and every separator split them. */
export function keyWords(key: string): string[] {
  return key
    .replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function classifyKey(key: string): KeyKind {
  const words = keyWords(key);
  if (words.length === 0) return 'neutral';
  const joined = words.join('_');
  const secret = words.some((word) => SECRET_WORDS.has(word)) || SECRET_PAIRS.test(joined);
  if (secret) return DESCRIBING.has(words.at(-1)!) ? 'public' : 'secret';
  return words.some((word) => PUBLIC_WORDS.has(word)) ? 'public' : 'neutral';
}

/**
 * name, then an assignment (=, :, :=, =>, ?=, .=, ||, a comma, a closing tag) with the quotes around it, then the
 * value, all on one line: in an output, the end of one line and the next line's `key=value` are not an assignment.
 */
const ASSIGNMENT = /([A-Za-z_$][\w.$-]{0,80})([ \t'"]{0,3}(?:::?=|:{1,3}|=>|\?=|\.=|\|\||=|,|>)[`'" \t=]{0,5})([^\s`'"<>,;)}[\]\\]{6,})/g;

/** A token with a vendor prefix (ghp_…, glpat-…, sk-ant-…, dop_v1_…, SG.…) starting a word, the shortest prefix first. */
const PREFIXED = /(?<![\w.-])([A-Za-z][A-Za-z0-9]{0,15}(?:[_.-][A-Za-z0-9]{1,15}){0,3}?[_.-])([A-Za-z0-9][A-Za-z0-9_+/.~-]{15,}={0,2})/g;

/** Prefixes of random-looking names that are not secrets: build-<sha>, sha256-<digest>, v1.2-<hash>. */
const PUBLIC_PREFIX = /^(?:sha\d*|md5|build|commit|rev|release|image|tag|v\d*|git|ref|run|job|pod|node)[_.-]$/i;

/** A long random token standing alone (an = only as base64's padding: KEY=VALUE is two words). */
const STANDALONE = /(?<![\w/+=.~-])(?=[A-Za-z0-9_+/.~-]{32})([A-Za-z0-9][A-Za-z0-9_+/~-]{1,}(?:\.[A-Za-z0-9_+/~-]{8,}){0,2}={0,2})(?![\w/+=~-])/g;

const LOWER_HEX = /^[0-9a-f]+$/;
const UPPER_HEX = /^[0-9A-F]+$/;
const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})$/;
/** W3C trace context: version, trace id, parent span id, flags. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** Kubernetes pods and replica sets: a name, the template's hash, a random suffix. */
const POD = /^[a-z0-9]+(?:-[a-z0-9]+)*-[a-z0-9]{8,10}(?:-[a-z0-9]{5})?$/;
/** Cloud resource ids: i-0a1b…, subnet-…, ami-…, vpc-… */
const RESOURCE_ID = /^(?:i|subnet|vpc|sg|ami|vol|snap|eni|rtb|igw|nat|acl|tgw|lt|eipalloc|vpce|pcx|r|db|cluster)-[0-9a-f]{8,17}$/;
const VERSION = /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.+-]*)?$/;
const TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const PLACEHOLDER = /^(?:\$\{?[\w.]+\}?|\{\{.*\}\}|%[\w]+%|<[^>]*>|\*+|x+|\.+|null|none|true|false|undefined|changeme|redacted|masked|\[masked\])$/i;
const PATH_OR_URL = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\.{1,2}\/|~\/)/i;
/** What a key or token is made of; a value with ':' or '@' in it is an address, a digest or a time. */
const TOKEN_CHARS = /^[A-Za-z0-9_+/=.~-]+$/;

/**
 * Commit SHAs (short and full), digests, trace and span ids, UUIDs: hex in one case, up to a SHA-256's length;
 * and the ids ops output is made of (trace context, pods, cloud resources). A secret under a key that says so
 * is masked whatever it looks like; these are left alone only where nothing says they are secret.
 */
function digestLike(value: string): boolean {
  if (UUID.test(value) || TRACEPARENT.test(value) || RESOURCE_ID.test(value)) return true;
  if (POD.test(value) && /\d/.test(value)) return true;
  if (!LOWER_HEX.test(value) && !UPPER_HEX.test(value)) return false;
  return value.length <= 64;
}

/** Base64 whose decoded bytes are mostly readable text is an encoded message, not a key. */
function base64OfText(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const bytes = Buffer.from(value, 'base64');
  let readable = 0;
  for (const byte of bytes) if ((byte >= 32 && byte < 127) || byte === 10) readable++;
  return bytes.length > 0 && readable / bytes.length > 0.95 && /[a-z]{3,}/i.test(bytes.toString('latin1'));
}

/** Random-looking, and not one of the random-looking things that are not secrets. */
export function looksLikeSecret(value: string, {minLength = 16, minEntropy = 3.3, lettersOnly = false} = {}): boolean {
  if (value.length < minLength || PLACEHOLDER.test(value) || !TOKEN_CHARS.test(value)) return false;
  if (digestLike(value) || VERSION.test(value) || TIME.test(value) || PATH_OR_URL.test(value)) return false;
  // Host names and paths: dotted and slashed words.
  if (/[./]/.test(value) && /^[\w-]+(?:[./][\w-]+)+\/?$/.test(value) && /\.[a-z]{2,}(?:\/|$)|\/[a-z]+[./-]/i.test(value)) return false;
  if (!/[A-Za-z]/.test(value)) return false;
  // Letters alone make words and identifiers, unless they are long, unbroken and as random as a key.
  if (!/\d/.test(value) && !(lettersOnly && value.length >= 16 && !/[_.-]/.test(value) && entropy(value) >= 3.7)) return false;
  if (base64OfText(value)) return false;
  return entropy(value) >= minEntropy;
}

/** A value under a key that names a secret: anything but a placeholder, a plain word, or an address (an ARN, a URL, a path). */
function secretValue(value: string): boolean {
  if (value.length < 6 || PLACEHOLDER.test(value) || PATH_OR_URL.test(value) || /^arn:[a-z-]+:/.test(value)) return false;
  if (/^[a-z]+$/i.test(value) && value.length < 12) return false;
  return entropy(value) >= 2.2;
}

/** Right after "://", "/", "@", "." or ":": part of a URL, a path, an address or a digest, not a token. */
function insideAddress(text: string, offset: number): boolean {
  return /(?::\/\/|[/@.:])$/.test(text.slice(Math.max(0, offset - 3), offset));
}

/** Matches wherever one of the three patterns below does: text it misses has nothing to look at. */
const ANY = new RegExp([ASSIGNMENT, PREFIXED, STANDALONE].map((pattern) => `(?:${pattern.source})`).join('|'));

/** Masks `key = value` secrets, vendor-prefixed tokens and long random tokens. */
export function maskGeneric(text: string, mark: string): string {
  if (!ANY.test(text)) return text;
  let masked = text.replace(ASSIGNMENT, (whole, key: string, operator: string, value: string) => {
    const kind = classifyKey(key);
    if (kind === 'secret') return secretValue(value) ? `${key}${operator}${mark}` : whole;
    if (kind === 'public') return whole;
    // After a comma or a closing tag (lists, CSV, markup) only what is plainly random.
    const loose = /^[\s'"]*[,>]/.test(operator);
    return looksLikeSecret(value, loose ? {minLength: 20, minEntropy: 4} : {lettersOnly: true}) ? `${key}${operator}${mark}` : whole;
  });
  masked = masked.replace(PREFIXED, (whole: string, prefix: string, tail: string, offset: number, all: string) => {
    if (insideAddress(all, offset) || PUBLIC_PREFIX.test(prefix) || digestLike(whole)) return whole;
    // A vendor prefix makes even a hex tail a token (glptt-<40 hex>).
    const hexTail = LOWER_HEX.test(tail) && tail.length >= 20;
    // The random part may itself follow one more separator (api_org_…, sm_sat_…).
    const last = tail.split(/[_.-]/).at(-1) ?? '';
    const random = looksLikeSecret(tail, {minEntropy: 3.5, lettersOnly: true}) || (last !== tail && looksLikeSecret(last, {minEntropy: 3.5, lettersOnly: true}));
    return hexTail || random ? mark : whole;
  });
  masked = masked.replace(STANDALONE, (whole: string, token: string, offset: number, all: string) => {
    if (token.length < 32 || insideAddress(all, offset) || /^sha\d+[-_]/i.test(token)) return whole;
    return looksLikeSecret(token, {minLength: 32, minEntropy: 3.8, lettersOnly: true}) ? mark : whole;
  });
  return masked;
}
