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
const chars = (alphabet, n) => Array.from({length: n}, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Families gitleaks' patterns do not make samples of, as output shows them: private key blocks in their
 * layouts, webhook URLs, secrets wrapped in base64, Kubernetes Secrets, NuGet configs, digit-only client ids.
 * Each sample names the part that must not survive masking.
 */
function families() {
  const made = [];
  const add = (rule, text, secret) => made.push({rule, text, secret});
  for (let i = 0; i < 3; i++) {
    const body = Array.from({length: 6}, () => chars(BASE64, 64));
    const key = (kind) => [`-----BEGIN ${kind}PRIVATE KEY-----`, ...body, `-----END ${kind}PRIVATE KEY-----`];
    add('pem-rsa', `writing key:\n${key('RSA ').join('\n')}\ndone`, body[2]);
    add('pem-pkcs8', key('').join('\n'), body[3]);
    add('pem-ec-crlf', key('EC ').join('\r\n'), body[1]);
    add('pem-openssh', `cat ~/.ssh/id_ed25519\n${key('OPENSSH ').join('\n')}\n`, body[0]);
    add('pem-encrypted', ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${hex(32).toUpperCase()}`, '', ...body, '-----END RSA PRIVATE KEY-----'].join('\n'), body[4]);
    add('pem-pgp', ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'Version: GnuPG v2', '', ...body, `=${chars(BASE64, 4)}`, '-----END PGP PRIVATE KEY BLOCK-----'].join('\n'), body[5]);
    add('pem-json-escaped', `{"type":"service_account","private_key":"${key('').join('\\n')}\\n","client_email":"deploy@acme.iam.gserviceaccount.com"}`, body[2]);
    add('pem-yaml-block', `tls:\n  key: |\n${key('EC ').map((line) => `    ${line}`).join('\n')}\n  cert: cert.pem`, body[1]);
    add('pem-one-line', `KEY="${key('RSA ').join(' ')}"`, body[3]);
    add('pem-cut-short', `${key('RSA ').slice(0, 4).join('\n')}`, body[2]);
    add('pem-end-only', `${body.slice(2).join('\n')}\n-----END RSA PRIVATE KEY-----\ndeploy finished`, body[3]);

    const slack = `T${chars(ALNUM.toUpperCase(), 10)}/B${chars(ALNUM.toUpperCase(), 10)}/${chars(ALNUM, 24)}`;
    add('webhook-slack', `posting to https://hooks.slack.com/services/${slack}`, slack);
    const teams = `https://acme.webhook.office.com/webhookb2/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}@${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}/IncomingWebhook/${hex(32)}/${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    add('webhook-teams', `TEAMS_WEBHOOK_URL=${teams}`, teams.split('/webhookb2/')[1]);
    const discord = `${10 ** 17 + Math.floor(random() * 8 * 10 ** 17)}/${chars(ALNUM + '_-', 68)}`;
    add('webhook-discord', `curl -X POST https://discord.com/api/webhooks/${discord} -d @msg.json`, discord);
    const zapier = `${Math.floor(random() * 9e6)}/${chars('abcdefghijklmnopqrstuvwxyz0123456789', 7)}/`;
    add('webhook-generic', `"url": "https://hooks.zapier.com/hooks/catch/${zapier}"`, `catch/${zapier}`);

    const jwt = `${Buffer.from(JSON.stringify({alg: 'HS256', typ: 'JWT'})).toString('base64url')}.${Buffer.from(JSON.stringify({sub: `svc-${hex(6)}`, exp: 1_800_000_000})).toString('base64url')}.${chars(ALNUM + '_-', 43)}`;
    const wrapped = Buffer.from(jwt).toString('base64');
    add('jwt-base64', `  token: ${wrapped}`, wrapped);
    add('jwt-base64', `SERVICE_TOKEN_B64=${wrapped}`, wrapped);
    const config = Buffer.from(`[default]\naws_access_key_id = AKIA${chars(ALNUM.toUpperCase(), 16)}\naws_secret_access_key = ${chars(BASE64, 40)}\n`).toString('base64');
    add('base64-wrapped-config', `AWS_CONFIG_B64=${config}`, config);

    const password = Buffer.from(`p4ss-${chars(ALNUM, 12)}`).toString('base64');
    const user = Buffer.from(`deploy`).toString('base64');
    add('k8s-secret-yaml', `apiVersion: v1\ndata:\n  password: ${password}\n  username: ${user}\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: prod\ntype: Opaque`, password);
    add('k8s-secret-json', `{"apiVersion":"v1","data":{"password":"${password}","username":"${user}"},"kind":"Secret","metadata":{"name":"db"}}`, password);
    const plain = `s3cr3t-${chars(ALNUM, 10)}`;
    add('k8s-secret-stringdata', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  API_TOKEN: ${plain}\n`, plain);

    const nuget = `${chars(ALNUM, 10)}!${chars(ALNUM, 6)}`;
    add('nuget-config', `<packageSourceCredentials><feed><add key="Username" value="deploy" /><add key="ClearTextPassword" value="${nuget}" /></feed></packageSourceCredentials>`, nuget);
    add('nuget-config', `<add key="Password" value="${nuget}"/>`, nuget);

    const digits = String(10 ** 15 + Math.floor(random() * 9 * 10 ** 15));
    add('client-id-digits', `asana_client_id = "${digits}"`, digits);
    add('client-id-digits', `"discordClientId": "${digits}${digits.slice(0, 2)}"`, `${digits}${digits.slice(0, 2)}`);
  }
  return made;
}
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

corpus.push(...families());
writeFileSync(new URL('../test/fixtures/secret-corpus.json', import.meta.url), JSON.stringify({source: "gitleaks' default rules (config/gitleaks.toml), and families of foggy's own (private key layouts, webhooks, base64-wrapped secrets, Kubernetes Secrets, NuGet, digit client ids)", samples: corpus, negatives}, null, 1) + '\n');
console.log(`${corpus.length} samples from ${new Set(corpus.map((s) => s.rule)).size} rules, ${negatives.length} negatives; no sample for ${skipped.length}: ${skipped.join(', ')}`);
