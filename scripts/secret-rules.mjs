// Builds src/core/mask/vendor-rules.generated.ts, the table of vendor token rules foggy masks by, from gitleaks'
// default rule set (config/gitleaks.toml of https://github.com/gitleaks/gitleaks, MIT): each rule's keywords,
// its pattern in JavaScript's syntax, which group is the secret, its entropy threshold and its allowlists.
// A maintained rule set rather than a hand-kept list: a new vendor is a rebuild.
//
//   node scripts/secret-rules.mjs path/to/gitleaks.toml
//
// Left out: the generic rule (foggy's own generic masking, tuned against a negative corpus, does that job),
// rules on file paths only, and the two multi-line rules (private key blocks, Kubernetes secrets), which
// foggy masks with code of its own that also handles blocks cut in two.
import {readFileSync, writeFileSync} from 'node:fs';
import RandExp from 'randexp';
import safeRegex from 'safe-regex2';
import {parse} from 'smol-toml';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/secret-rules.mjs path/to/gitleaks.toml');
  process.exit(2);
}
const config = parse(readFileSync(file, 'utf8'));
const LEFT_OUT = new Set(['generic-api-key', 'private-key', 'kubernetes-secret-yaml']);

/** Go's RE2 syntax as JavaScript's. Inline (?i) anywhere makes the whole pattern case-insensitive (a little wider). */
function toJs(source) {
  let flags = '';
  if (/\(\?i\)|\(\?i:/.test(source)) flags = 'i';
  const js = source
    .replaceAll('(?i)', '')
    .replaceAll('(?i:', '(?:')
    .replaceAll('(?-i:', '(?:')
    .replaceAll('(?P<', '(?<')
    .replaceAll('\\z', '$')
    .replaceAll('\\A', '^')
    .replaceAll('[[:alnum:]]', '[A-Za-z0-9]')
    .replaceAll('[:alnum:]', 'A-Za-z0-9')
    .replaceAll('(?s:.)', '[\\s\\S]');
  return {source: js, flags};
}

/** Lines built to make a backtracking engine work hard on this pattern: its keywords among long runs. */
function slowOnHostileLines(source, flags, keywords) {
  const pattern = new RegExp(source, `${flags}g`);
  const runs = ['a', '0', '-', ' ', '=', 'A1', 'aB3_', 'ey', '.'];
  const lines = keywords.flatMap((keyword) => runs.flatMap((run) => [`${keyword}${run.repeat(2000)}`, `${run.repeat(2000)}${keyword}=${run.repeat(2000)}`, `${keyword}=${run.repeat(4000)}!`]));
  const started = performance.now();
  for (const line of lines) {
    pattern.lastIndex = 0;
    while (pattern.exec(line) && pattern.lastIndex < line.length) {
      if (performance.now() - started > 200) return true;
    }
    if (performance.now() - started > 200) return true;
  }
  return false;
}

// Seeded: the table is the same every time it is built from the same rules.
let seed = 20261206;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/**
 * Whether the pattern matches text without any of the rule's keywords (a "." meant as a dot matches any
 * character: hooks.slack.com also matches hooksXslack.com; a Facebook token need not say facebook). Such a
 * rule runs on every line, not only on the lines holding a keyword.
 */
function keywordsMayBeAbsent(source, flags, keywords) {
  let generator;
  try {
    generator = new RandExp(source.replaceAll(/(\{\d*,?\d*\}|[*+?])\?/g, '$1'), flags);
  } catch {
    return false;
  }
  generator.max = 24;
  generator.randInt = (a, b) => a + Math.floor(random() * (b - a + 1));
  // Never holding one: a keyword the pattern does not require. Sometimes: a pattern meant to be read next to its
  // keyword (sourcegraph's 40 hex digits), which gitleaks only looks for there.
  for (let i = 0; i < 30; i++) {
    const text = generator.gen().toLowerCase();
    if (keywords.some((keyword) => text.includes(keyword.toLowerCase()))) return false;
  }
  return true;
}

function capturingGroups(source) {
  return new RegExp(`${source}|`).exec('').length - 1;
}

const rules = [];
const skipped = [];
for (const rule of config.rules) {
  if (LEFT_OUT.has(rule.id) || !rule.regex || !rule.keywords?.length) {
    skipped.push(rule.id);
    continue;
  }
  const {source, flags} = toJs(rule.regex);
  try {
    new RegExp(source, `${flags}dg`);
  } catch (error) {
    skipped.push(`${rule.id} (${error.message})`);
    continue;
  }
  // RE2 never backtracks; JavaScript does: a pattern that could, and does on hostile lines, take long is left out.
  if (!safeRegex(new RegExp(source, flags), {limit: 200}) && slowOnHostileLines(source, flags, rule.keywords)) {
    skipped.push(`${rule.id} (slow on hostile input)`);
    continue;
  }
  const groups = capturingGroups(source);
  // The secret: the group gitleaks names, else the only group, else the whole match.
  const group = rule.secretGroup ?? (groups === 1 ? 1 : 0);
  const allow = [];
  for (const list of rule.allowlists ?? []) {
    // Allowlists tied to file paths say nothing about a line of output.
    if (list.paths?.length && list.condition === 'AND') continue;
    if (!list.regexes?.length && !list.stopwords?.length) continue;
    allow.push({target: list.regexTarget ?? 'secret', regexes: (list.regexes ?? []).map((regex) => toJs(regex)), stopwords: (list.stopwords ?? []).map((word) => word.toLowerCase())});
  }
  const everyLine = keywordsMayBeAbsent(source, flags, rule.keywords);
  rules.push({id: rule.id, keywords: everyLine ? [] : rule.keywords.map((keyword) => keyword.toLowerCase()), source, flags, group, entropy: rule.entropy ?? 0, allow});
}

const global = {regexes: (config.allowlist?.regexes ?? []).map((regex) => toJs(regex)), stopwords: (config.allowlist?.stopwords ?? []).map((word) => word.toLowerCase())};

const out = `// Generated from gitleaks' default rule set (config/gitleaks.toml, https://github.com/gitleaks/gitleaks, MIT License,
// Copyright (c) 2019 Zachary Rice) by scripts/secret-rules.mjs. Do not edit: rebuild it.
import type {VendorRule, VendorAllowlist} from './vendor-types.js';

export const VENDOR_RULES: VendorRule[] = [
${rules.map((rule) => `  ${JSON.stringify(rule)},`).join('\n')}
];

export const GLOBAL_ALLOWLIST: VendorAllowlist = ${JSON.stringify(global)};
`;
writeFileSync(new URL('../src/core/mask/vendor-rules.generated.ts', import.meta.url), out);
console.error(`wrote ${rules.length} rules into src/core/mask/vendor-rules.generated.ts; left out: ${skipped.join(', ')}`);
