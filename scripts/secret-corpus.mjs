// Builds test/fixtures/secret-corpus.json: realistic secrets to measure foggy's masking against, derived
// from gitleaks' default rule set. Each rule's regular expression is turned into random strings that match
// it (with their context: the key name, the assignment, the quotes), a few per rule, plus the same inside a
// log line; then a negative set of things that look random but are not secrets.
//
//   node scripts/secret-corpus.mjs path/to/gitleaks.toml
//
// The rule file is read, never copied: only the generated samples are kept.
import {readFileSync, writeFileSync} from 'node:fs';
import RandExp from 'randexp';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/secret-corpus.mjs path/to/gitleaks.toml');
  process.exit(2);
}

/** The [[rules]] of the file: id, regex and which group is the secret. */
function rules(text) {
  const found = [];
  for (const block of text.split(/^\[\[rules\]\]$/m).slice(1)) {
    const id = /^id = "([^"]+)"/m.exec(block)?.[1];
    const regex = /^regex = '''(.*)'''$/m.exec(block)?.[1];
    const group = Number(/^secretGroup = (\d+)/m.exec(block)?.[1] ?? 0);
    if (id && regex) found.push({id, regex, group});
  }
  return found;
}

/** Go's RE2 syntax as JavaScript's: (?i) anywhere becomes the i flag (a little wider); the rest is shared. */
function toJs(source) {
  let flags = '';
  if (source.includes('(?i)')) {
    flags = 'i';
    source = source.replaceAll('(?i)', '');
  }
  return {source: source.replaceAll('\\z', '$').replaceAll('[[:alnum:]]', '[A-Za-z0-9]').replaceAll('[:alnum:]', 'A-Za-z0-9'), flags};
}

// Seeded, so that the corpus is the same every time it is built from the same rules.
let seed = 20261125;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

function samples(rule, count) {
  const {source, flags} = toJs(rule.regex);
  let check;
  try {
    check = new RegExp(source, flags);
  } catch {
    return [];
  }
  // RandExp knows neither lazy quantifiers nor inline flags: generate from a plain form, keep what matches.
  const plain = source.replaceAll('(?i:', '(?:').replaceAll('(?-i:', '(?:').replaceAll(/(\{\d*,?\d*\}|[*+?])\?/g, '$1');
  let generator;
  try {
    generator = new RandExp(plain, flags);
  } catch {
    return [];
  }
  generator.max = 24;
  generator.randInt = (a, b) => a + Math.floor(random() * (b - a + 1));
  const found = [];
  for (let attempt = 0; attempt < 200 && found.length < count; attempt++) {
    const text = generator.gen();
    const match = check.exec(text);
    if (!match) continue;
    const secret = (rule.group ? match[rule.group] : (match[1] ?? match[0])) ?? match[0];
    // Too short to call a secret, or all one character: not a useful sample.
    if (secret.length < 8 || new Set(secret).size < 5 || text.includes('\n\n')) continue;
    if (found.some((sample) => sample.secret === secret)) continue;
    found.push({rule: rule.id, text: match[0], secret});
  }
  return found;
}

const corpus = [];
const skipped = [];
for (const rule of rules(readFileSync(file, 'utf8'))) {
  const made = samples(rule, 3);
  if (made.length === 0) skipped.push(rule.id);
  for (const sample of made) {
    corpus.push(sample);
    corpus.push({...sample, text: `2026-11-25T14:02:11Z deploy[4711]: loaded config ${sample.text} (ok)`});
  }
}

const hex = (n) => Array.from({length: n}, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const words = ['Hello World', 'deploy finished', 'the quick brown fox', 'status: all services up', 'restart db please', 'version two of the site'];
const negatives = [];
for (let i = 0; i < 6; i++) {
  const sha = hex(40);
  negatives.push(
    sha,
    `commit ${sha}`,
    `HEAD is now at ${sha.slice(0, 7)} Merge pull request #${100 + i}`,
    `checked out ${sha.slice(0, 12)}`,
    uuid(),
    `request id ${uuid()}`,
    `"trace_id": "${uuid()}"`,
    `v${i + 1}.${i * 3}.${i * 7}`,
    `version: ${i + 2}.${i}.${i + 11}-rc.${i + 1}`,
    `node v24.${i}.1, npm 11.${i}.0`,
    `image: registry.example.com/web@sha256:${hex(64)}`,
    `sha256:${hex(64)}`,
    `Digest: sha256:${hex(64)}`,
    `2026-11-${String(10 + i).padStart(2, '0')}T1${i}:02:11.${100 + i}Z`,
    `started at 2026-11-25 14:0${i}:11 +0000`,
    `https://example.com/releases/v${i}.2.0/notes?lang=en#top`,
    `GET http://127.0.0.1:808${i}/health 200 OK`,
    `see https://docs.example.org/ops/runbook-${i}.html`,
    Buffer.from(words[i]).toString('base64'),
    `payload ${Buffer.from(words[i]).toString('base64')}`,
    `echo ${Buffer.from(words[(i + 1) % words.length]).toString('base64')} | base64 -d`,
  );
}

writeFileSync(new URL('../test/fixtures/secret-corpus.json', import.meta.url), JSON.stringify({source: 'gitleaks default rules (config/gitleaks.toml)', samples: corpus, negatives}, null, 1) + '\n');
console.log(`${corpus.length} samples from ${new Set(corpus.map((s) => s.rule)).size} rules, ${negatives.length} negatives; no sample for ${skipped.length}: ${skipped.join(', ')}`);
