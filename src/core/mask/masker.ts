/**
 * Masks secrets in text before anything is journaled or posted: nothing secret leaves the machine.
 * Patterns are deliberately specific (token prefixes, key=value names, URL credentials), so ordinary
 * text (commit SHAs, UUIDs, versions) stays readable.
 */
import {maskBase64Wrapped} from './base64.js';
import {maskGeneric} from './generic.js';
import {maskKubernetesSecrets} from './kubernetes.js';
import {maskPrivateKeys} from './private-keys.js';
import {maskVendorTokens} from './vendor.js';

export const MASK = '[masked]';

interface Rule {
  pattern: RegExp;
  /** Replacement; `$1`… keep the non-secret part (a key name, a URL's user). */
  replace: string | ((match: string, ...groups: string[]) => string);
}

const BUILT_IN: Rule[] = [
  // Slack: bot/user/app/config/refresh tokens, and incoming webhooks.
  {pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g, replace: MASK},
  {pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, replace: MASK},
  // Webhook URLs: the path is the secret. Slack, Zapier and other hooks.* hosts, Microsoft Teams, Discord.
  {pattern: /\b(https?:\/\/hooks\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)[^\s"'<>`\\]+/gi, replace: `$1${MASK}`},
  {pattern: /\b(https:\/\/[a-z0-9-]+\.webhook\.office\.com\/|https:\/\/outlook\.office(?:365)?\.com\/webhook\/)[^\s"'<>`\\]+/gi, replace: `$1${MASK}`},
  {pattern: /\b(https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/)[^\s"'<>`\\]+/gi, replace: `$1${MASK}`},
  // GitHub: classic and fine-grained tokens.
  {pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, replace: MASK},
  {pattern: /\bgithub_pat_[A-Za-z0-9_]{40,}/g, replace: MASK},
  // GitLab, npm, Stripe, Google API keys.
  {pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: MASK},
  {pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replace: MASK},
  {pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: MASK},
  {pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: MASK},
  // AWS access key ids, and secret keys named as such.
  {pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g, replace: MASK},
  {pattern: /(aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}/gi, replace: `$1${MASK}`},
  // Vendor prefixes glued to the key: Alibaba, Databricks, GitLab runners, Artifactory, Google OAuth, Facebook.
  {pattern: /\b(?:LTAI|dapi|GR1348941|AKCp|ya29\.|EAA[A-Za-z0-9]{2})[A-Za-z0-9_-]{12,}/gi, replace: MASK},
  // Telegram bot tokens: bot id, colon, secret.
  {pattern: /\b\d{6,14}:[A-Za-z0-9_-]{30,}/g, replace: MASK},
  // JWTs: three base64url parts, the first two JSON objects ("eyJ").
  {pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: MASK},
  // Credentials in URLs: scheme://user:password@host keeps the user.
  {pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]+@/gi, replace: `$1:${MASK}@`},
  // Authorization headers and bearer tokens.
  {pattern: /\b(authorization["']?\s*[:=]\s*["']?)(?:(?:bearer|basic|token|digest)\s+)?[^\s"',;]+/gi, replace: `$1${MASK}`},
  {pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${MASK}`},
  // key=value and key: value pairs whose key names a secret (password=, api_key: , --token=…).
  {
    pattern: /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s*[=:]\s*)(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'&,;]+))/gi,
    // Quotes stay where they were: a masked JSON document is still JSON.
    replace: (_: string, head: string, double?: string, single?: string) => `${head}${double === undefined ? (single === undefined ? MASK : `'${MASK}'`) : `"${MASK}"`}`,
  },
  // curl -u user:password (and --user).
  {pattern: /(\bcurl\b[^\n]*?\s(?:-u|--user)[=\s]+['"]?)[^\s'"]+/g, replace: `$1${MASK}`},
  // --password value, -p value style flags.
  {pattern: /(--(?:password|passwd|token|secret|api-key|access-key)\s+)(?!-)\S+/gi, replace: `$1${MASK}`},
];

/**
 * Matches (case aside) wherever one of the built-in rules does: one scan tells that none of them applies,
 * which is the case for most short texts (names, URLs, "200 OK"), instead of one scan per rule. It finds
 * at least what each rule finds as long as no rule puts a letter in a negative lookaround.
 */
const ANY_BUILT_IN = new RegExp(BUILT_IN.map((rule) => `(?:${rule.pattern.source})`).join('|'), 'i');

/** Environment variable names whose values are secrets. */
const SECRET_ENV_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;
/** Named like secrets, but not: the fencing token an action is given is shown in full, in its entry and its output. */
const NOT_SECRET_ENV_NAMES = new Set(['FOGGY_LOCK_TOKEN']);
/** Shorter values would mask common words and numbers everywhere. */
const MIN_ENV_SECRET_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}

export interface MaskerOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra patterns from foggy.yml `redact:`. */
  patterns?: string[];
  /** Values known to be secret wherever they appear (what the catalog declares: see catalogSecrets). */
  values?: string[];
}

/**
 * The passwords in URLs the environment holds, as they are and decoded: proxies (HTTPS_PROXY=http://user:password@proxy:3128,
 * with or without a scheme) and any other URL with credentials (FOGGY_DATABASE_URL=postgres://foggy:password@db/foggy).
 */
function urlPasswords(env: NodeJS.ProcessEnv): string[] {
  const passwords: string[] = [];
  for (const name in env) {
    const value = env[name];
    if (!value?.includes('@') || !(PROXY_VARIABLE.test(name) || URL_WITH_CREDENTIALS.test(value))) continue;
    try {
      const {password} = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
      if (password) passwords.push(password, decodeURIComponent(password));
    } catch {
      // Not a URL: nothing to find in it.
    }
  }
  return passwords.filter((password) => password.length >= MIN_DECLARED_SECRET_LENGTH);
}

const PROXY_VARIABLE = /^(https?|all)_proxy$/i;
const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i;

/** Shorter declared values would mask digits and words everywhere. */
const MIN_DECLARED_SECRET_LENGTH = 4;

export type Mask = (text: string) => string;

export function createMasker(options: MaskerOptions = {}): Mask {
  const values = Object.entries(options.env ?? {})
    .filter(([name, value]) => SECRET_ENV_NAME.test(name) && !NOT_SECRET_ENV_NAMES.has(name) && value && value.length >= MIN_ENV_SECRET_LENGTH)
    .map(([, value]) => value as string)
    .concat(urlPasswords(options.env ?? {}))
    .concat((options.values ?? []).filter((value) => value.length >= MIN_DECLARED_SECRET_LENGTH))
    .sort((a, b) => b.length - a.length);
  const declared = values.length > 0 ? new RegExp([...new Set(values)].map(escapeRegExp).join('|'), 'g') : undefined;
  const redact = (options.patterns ?? []).map((pattern) => new RegExp(pattern, 'g'));

  /** Every mask but the one for base64-wrapped secrets, which runs these on what it decodes. */
  const maskPlain = (text: string) => {
    let masked = declared ? text.replace(declared, MASK) : text;
    masked = maskPrivateKeys(masked, MASK);
    masked = maskKubernetesSecrets(masked, MASK);
    // Indexed: the rules run for every distinct text of a run, mostly before the code is optimised.
    if (ANY_BUILT_IN.test(masked)) for (let i = 0; i < BUILT_IN.length; i++) masked = masked.replace(BUILT_IN[i].pattern, BUILT_IN[i].replace as string);
    masked = maskVendorTokens(masked, MASK);
    for (let i = 0; i < redact.length; i++) masked = masked.replace(redact[i], MASK);
    return maskGeneric(masked, MASK);
  };
  const maskText = (text: string) => maskPlain(maskBase64Wrapped(text, MASK, maskPlain));
  // Short texts are remembered: a status of a thousand services masks the same names, check names and
  // details ("200 OK") in its entry, its result and its report, and each pass runs every rule.
  const remembered = new Map<string, string>();
  return (text: string) => {
    if (text.length > REMEMBER_UP_TO_CHARS) return maskText(text);
    let masked = remembered.get(text);
    if (masked === undefined) {
      masked = maskText(text);
      if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
      remembered.set(text, masked);
    }
    return masked;
  };
}

const REMEMBER_UP_TO_CHARS = 256;
const REMEMBER_AT_MOST = 20_000;

/**
 * Masks every string inside a JSON-like value (an entry, a status result). What masking changes is copied;
 * what it leaves alone is shared with the value given: a status of a thousand services, almost all of it
 * without a secret, is not copied object by object.
 */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (typeof value === 'string') return mask(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const masked = maskDeep(item, mask);
      if (copy === undefined && masked !== item) copy = value.slice(0, i);
      copy?.push(masked);
    }
    return (copy ?? value) as T;
  }
  const keys = Object.keys(value);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const item = (value as Record<string, unknown>)[keys[i]];
    const masked = maskDeep(item, mask);
    if (copy === undefined && masked !== item) {
      copy = {};
      for (let j = 0; j < i; j++) put(copy, keys[j], (value as Record<string, unknown>)[keys[j]]);
    }
    if (copy) put(copy, keys[i], masked);
  }
  return (copy ?? value) as T;
}

/** A "__proto__" key (JSON.parse makes one) stays a key of the copy, not its prototype. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
  else target[key] = value;
}
