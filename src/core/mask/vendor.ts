import {entropy} from './entropy.js';
import {GLOBAL_ALLOWLIST, VENDOR_RULES} from './vendor-rules.generated.js';

/**
 * Vendor tokens, by the rules of gitleaks' maintained rule set (vendor-rules.generated.ts, rebuilt by
 * scripts/secret-rules.mjs): each rule names keywords, and runs only on the lines that hold one of them,
 * so that two hundred patterns cost one scan of the text for their keywords. The secret part of a match is
 * masked when it is as random as the rule asks and no allowlist (placeholders, the rule's own) says otherwise.
 */

export type {VendorAllowlist, VendorRule} from './vendor-types.js';
import type {VendorRule} from './vendor-types.js';

interface Compiled {
  rule: VendorRule;
  pattern: RegExp;
  allow: {target: string; regexes: RegExp[]; stopwords: string[]}[];
}

let keywords: RegExp | undefined;
/** Every keyword, for texts searched word by word. */
let keywordList: string[];
let rulesByKeyword: Map<string, number[]>;
/** The rules that run on every line, and one pattern that finds where any of them might match. */
let everyLine: number[];
let everyLineScan: RegExp;
const compiled: (Compiled | undefined)[] = [];
let globalAllow: RegExp[];

/**
 * Up to this length a text is searched keyword by keyword: most entries are a line or two, and compiling the
 * one pattern of all keywords costs more time and memory than searching them. Longer texts (an action's
 * output) pay for that pattern once and are scanned in one pass.
 */
const SEARCHED_WORD_BY_WORD = 16 * 1024;

function prepare(): RegExp {
  if (keywords) return keywords;
  rulesByKeyword = new Map();
  everyLine = [];
  VENDOR_RULES.forEach((rule, index) => {
    if (rule.keywords.length === 0) everyLine.push(index);
    for (const keyword of rule.keywords) rulesByKeyword.set(keyword, [...(rulesByKeyword.get(keyword) ?? []), index]);
  });
  everyLineScan = new RegExp(everyLine.map((index) => `(?:${VENDOR_RULES[index].source})`).join('|') || '(?!)', 'i');
  keywordList = [...rulesByKeyword.keys()];
  // Longest first, so that a keyword inside another (sk, sk_live) does not hide it.
  const words = [...keywordList].sort((a, b) => b.length - a.length).map((word) => word.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`));
  keywords = new RegExp(words.join('|'), 'g');
  globalAllow = GLOBAL_ALLOWLIST.regexes.map(({source, flags}) => new RegExp(source, flags));
  return keywords;
}

/** A rule's pattern, compiled when a line first calls for it: most runs need a few of them, or none. */
function ruleAt(index: number): Compiled {
  let rule = compiled[index];
  if (!rule) {
    const raw = VENDOR_RULES[index];
    rule = {rule: raw, pattern: new RegExp(raw.source, `${raw.flags}dg`), allow: raw.allow.map((list) => ({target: list.target, regexes: list.regexes.map(({source, flags}) => new RegExp(source, flags)), stopwords: list.stopwords}))};
    compiled[index] = rule;
  }
  return rule;
}

/** The keywords in a lower-cased line or text: one by one among `among`, or by the one pattern of them all. */
function keywordsIn(lower: string, among: string[] | undefined): Iterable<string> {
  if (among) return among.filter((word) => lower.includes(word));
  const scan = prepare();
  const found: string[] = [];
  scan.lastIndex = 0;
  for (let match = scan.exec(lower); match; match = scan.exec(lower)) found.push(match[0]);
  return found;
}

export function maskVendorTokens(text: string, mark: string): string {
  const scan = prepare();
  // Most texts hold no keyword, and cost only this.
  const lower = text.toLowerCase();
  const inText = text.length <= SEARCHED_WORD_BY_WORD ? keywordList.filter((word) => lower.includes(word)) : undefined;
  scan.lastIndex = 0;
  const anyKeyword = inText ? inText.length > 0 : scan.test(lower);
  if (!anyKeyword && !everyLineScan.test(text)) return text;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const triggered = new Set<number>();
    for (const word of keywordsIn(line.toLowerCase(), inText)) for (const index of rulesByKeyword.get(word)!) triggered.add(index);
    if (everyLineScan.test(line)) for (const index of everyLine) triggered.add(index);
    if (triggered.size === 0) continue;
    const spans: [number, number][] = [];
    for (const index of triggered) findSecrets(ruleAt(index), line, spans);
    if (spans.length === 0) continue;
    lines[i] = replaceSpans(line, spans, mark);
    changed = true;
  }
  return changed ? lines.join('\n') : text;
}

function findSecrets({rule, pattern, allow}: Compiled, line: string, spans: [number, number][]): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const at = match.indices?.[rule.group] ?? match.indices![0];
    const secret = match[rule.group] ?? match[0];
    if (!secret || secret.includes('[masked]')) continue;
    if (rule.entropy > 0 && entropy(secret) < rule.entropy) continue;
    if (allowed(secret, match[0], line, allow)) continue;
    spans.push([at[0], at[1]]);
  }
}

function allowed(secret: string, match: string, line: string, lists: Compiled['allow']): boolean {
  if (globalAllow.some((regex) => regex.test(secret))) return true;
  const lower = secret.toLowerCase();
  if (GLOBAL_ALLOWLIST.stopwords.some((word) => lower.includes(word))) return true;
  for (const list of lists) {
    const target = list.target === 'match' ? match : list.target === 'line' ? line : secret;
    if (list.regexes.some((regex) => regex.test(target))) return true;
    if (list.stopwords.some((word) => lower.includes(word))) return true;
  }
  return false;
}

/** The line with each span (merged where they overlap) replaced by the mark. */
function replaceSpans(line: string, spans: [number, number][], mark: string): string {
  spans.sort((a, b) => a[0] - b[0]);
  let result = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    result += line.slice(at, Math.max(at, start)) + (start >= at ? mark : '');
    at = end;
  }
  return result + line.slice(at);
}
