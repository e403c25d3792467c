/**
 * Masks secrets in text before anything is journaled or posted: nothing secret leaves the machine.
 * Patterns are deliberately specific (token prefixes, key=value names, URL credentials), so ordinary
 * text (commit SHAs, UUIDs, versions) stays readable.
 */
import {maskGeneric} from './generic.js';

export const MASK = '[masked]';

interface Rule {
  pattern: RegExp;
  /** Replacement; `$1`… keep the non-secret part (a key name, a URL's user). */
  replace: string;
}

const BUILT_IN: Rule[] = [
  // Private key blocks, even when the END line was cut off.
  {pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, replace: MASK},
  // Slack: bot/user/app/config/refresh tokens, and incoming webhooks.
  {pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g, replace: MASK},
  {pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, replace: MASK},
  {pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g, replace: MASK},
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
    pattern: /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)["']?\s*[=:]\s*)("[^"\n]*"|'[^'\n]*'|[^\s"'&,;]+)/gi,
    replace: `$1${MASK}`,
  },
  // curl -u user:password (and --user).
  {pattern: /(\bcurl\b[^\n]*?\s(?:-u|--user)[=\s]+['"]?)[^\s'"]+/g, replace: `$1${MASK}`},
  // --password value, -p value style flags.
  {pattern: /(--(?:password|passwd|token|secret|api-key|access-key)\s+)(?!-)\S+/gi, replace: `$1${MASK}`},
];

/** Environment variable names whose values are secrets. */
const SECRET_ENV_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL/i;
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

/** Shorter declared values would mask digits and words everywhere. */
const MIN_DECLARED_SECRET_LENGTH = 4;

export type Mask = (text: string) => string;

export function createMasker(options: MaskerOptions = {}): Mask {
  const rules = [...BUILT_IN];
  const values = Object.entries(options.env ?? {})
    .filter(([name, value]) => SECRET_ENV_NAME.test(name) && value && value.length >= MIN_ENV_SECRET_LENGTH)
    .map(([, value]) => value as string)
    .concat((options.values ?? []).filter((value) => value.length >= MIN_DECLARED_SECRET_LENGTH))
    .sort((a, b) => b.length - a.length);
  if (values.length > 0) rules.unshift({pattern: new RegExp([...new Set(values)].map(escapeRegExp).join('|'), 'g'), replace: MASK});
  for (const pattern of options.patterns ?? []) rules.push({pattern: new RegExp(pattern, 'g'), replace: MASK});

  const maskText = (text: string) => {
    let masked = text;
    // Indexed: the rules run for every distinct text of a run, mostly before the code is optimised.
    for (let i = 0; i < rules.length; i++) masked = masked.replace(rules[i].pattern, rules[i].replace);
    return maskGeneric(masked, MASK);
  };
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

/** Masks every string inside a JSON-like value (an entry, a status result), into a copy. */
export function maskDeep<T>(value: T, mask: Mask): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) {
    const copy = Array.from({length: value.length});
    for (let i = 0; i < value.length; i++) copy[i] = maskDeep(value[i], mask);
    return copy as T;
  }
  if (value && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const masked = maskDeep((value as Record<string, unknown>)[key], mask);
      // A "__proto__" key (JSON from outside can hold one) stays a key, never the copy's prototype.
      if (key === '__proto__') Object.defineProperty(copy, key, {value: masked, enumerable: true, writable: true, configurable: true});
      else copy[key] = masked;
    }
    return copy as T;
  }
  return value;
}

/**
 * What a catalog itself declares that must never be shown: every value of an action's env: (a deploy key
 * set there is as secret as one in the environment), the password of a check URL (https://user:pw@host),
 * and the values of check headers whose names say "secret" (Authorization, X-Api-Key, Cookie …).
 */
export function catalogSecrets(catalog: {services: Map<string, {checks: {type: string; url?: string; headers?: Record<string, string>}[]; actions: Partial<Record<string, {env: Record<string, string>}>>}>}): string[] {
  const values: string[] = [];
  for (const service of catalog.services.values()) {
    for (const verb in service.actions) {
      const env = service.actions[verb]?.env;
      for (const name in env) values.push(env[name]);
    }
    for (const check of service.checks) {
      // Only a URL with an @ can hold a password: parsing each of a thousand URLs costs more than this.
      if (check.url?.includes('@')) {
        try {
          const url = new URL(check.url);
          if (url.password) values.push(decodeURIComponent(url.password), url.password);
        } catch {
          // Validated when the catalog loaded.
        }
      }
      for (const name in check.headers) {
        const value = check.headers[name];
        if (SECRET_HEADER.test(name)) values.push(value.replace(/^(?:bearer|basic|token)\s+/i, ''), value);
      }
    }
  }
  return [...new Set(values)];
}

const SECRET_HEADER = /authorization|cookie|token|secret|api[-_]?key|password|auth/i;
