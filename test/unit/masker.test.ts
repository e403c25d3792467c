import assert from 'node:assert/strict';
import {createMasker, MASK, maskDeep} from '../../src/core/mask/masker.js';

// Built at run time so that no scanner mistakes this corpus for leaked credentials.
const r = (n: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') =>
  Array.from({length: n}, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const b64url = (object: object) => Buffer.from(JSON.stringify(object)).toString('base64url');
const jwt = `${b64url({alg: 'HS256', typ: 'JWT'})}.${b64url({sub: '1234567890', name: 'Ops'})}.${r(43)}`;

/** [text containing a secret, the secret itself] */
const SECRETS: [string, string][] = [
  // Slack
  ...['xoxb', 'xoxp', 'xoxa', 'xoxr', 'xoxs', 'xoxe'].map((prefix): [string, string] => [`token ${prefix}-123456789012-${r(24)}`, `${prefix}-123456789012-${r(24)}`]),
  [`SLACK_APP=xapp-1-A0${r(9, UPPER)}-1234567890-${r(64, 'abcdef0123456789')}`, `xapp-1-A0${r(9, UPPER)}-1234567890-${r(64, 'abcdef0123456789')}`],
  [`posting to https://hooks.slack.com/services/T0${r(8, UPPER)}/B0${r(8, UPPER)}/${r(24)}`, `T0${r(8, UPPER)}/B0${r(8, UPPER)}/${r(24)}`],
  // GitHub
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((prefix): [string, string] => [`git clone with ${prefix}_${r(36)}`, `${prefix}_${r(36)}`]),
  [`GH=github_pat_11${r(20, UPPER)}_${r(59)}`, `github_pat_11${r(20, UPPER)}_${r(59)}`],
  [`https://x-access-token:ghs_${r(36)}@github.com/org/repo.git`, `ghs_${r(36)}`],
  // AWS
  ...['AKIA', 'ASIA', 'AROA', 'AIDA'].map((prefix): [string, string] => [`key id ${prefix}${r(16, UPPER)} in use`, `${prefix}${r(16, UPPER)}`]),
  [`aws_secret_access_key = ${r(40)}`, r(40)],
  [`AWS_SECRET_ACCESS_KEY: "${r(30)}/${r(9)}"`, `${r(30)}/${r(9)}`],
  [`{"aws_secret_access_key": "${r(40)}"}`, r(40)],
  // JWTs
  [`id_token ${jwt}`, jwt],
  [`jwt=${jwt}&next=/`, jwt],
  [`cookie: session=${jwt}`, jwt],
  // Private keys
  ...['RSA ', 'EC ', 'OPENSSH ', '', 'ENCRYPTED ', 'DSA '].map((kind): [string, string] => [
    `key:\n-----BEGIN ${kind}PRIVATE KEY-----\nMIIE${r(60)}\n${r(64)}\n-----END ${kind}PRIVATE KEY-----\nnext`,
    `MIIE${r(60)}`,
  ]),
  [`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQ${r(62)}\n`, `lQ${r(62)}`],
  [`truncated -----BEGIN RSA PRIVATE KEY-----\nMIIB${r(40)}`, `MIIB${r(40)}`],
  // URLs with credentials
  [`postgres://admin:${r(16)}@db.internal:5432/app`, r(16)],
  [`mysql://root:hunter2-${r(6)}@127.0.0.1/db`, `hunter2-${r(6)}`],
  [`https://deploy:${r(20)}@registry.example.com/v2/`, r(20)],
  [`amqp://guest:${r(12)}@rabbit:5672`, r(12)],
  [`redis://:${r(24)}@cache:6379/0`, r(24)],
  // Authorization headers, bearer tokens
  [`curl -H "Authorization: Bearer ${r(32)}" https://api`, r(32)],
  [`Authorization: Basic ${Buffer.from('user:' + r(10)).toString('base64')}`, Buffer.from('user:' + r(10)).toString('base64')],
  [`authorization=token ${r(40, 'abcdef0123456789')}`, r(40, 'abcdef0123456789')],
  [`sending bearer ${r(28)}.${r(12)}`, `${r(28)}.${r(12)}`],
  [`{"Authorization":"Bearer ${r(30)}"}`, r(30)],
  // key=value pairs
  [`password=${r(14)}`, r(14)],
  [`db_password: "${r(12)} with spaces"`, `${r(12)} with spaces`],
  [`TOKEN=${r(20)} ./deploy.sh`, r(20)],
  [`client_secret=${r(32)}&grant_type=client_credentials`, r(32)],
  [`api_key: ${r(26)}`, r(26)],
  [`apiKey=${r(26)}`, r(26)],
  [`SECRET='${r(18)}'`, r(18)],
  [`--token=${r(22)}`, r(22)],
  [`--password ${r(15)}`, r(15)],
  [`mysql --password=${r(11)} -h db`, r(11)],
  [`private_key=${r(44)}`, r(44)],
  [`passphrase: ${r(19)}`, r(19)],
  [`url?access_key=${r(20)}&x=1`, r(20)],
  // Other providers
  [`npm config set //registry/:_authToken npm_${r(36)}`, `npm_${r(36)}`],
  [`glpat-${r(20)} was used`, `glpat-${r(20)}`],
  [`STRIPE sk_live_${r(24)}`, `sk_live_${r(24)}`],
  [`maps key AIza${r(35)}`, `AIza${r(35)}`],
];

const ORDINARY = [
  'deployed commit 3f2a9c1b7e4d5f60a1b2c3d4e5f60718293a4b5c to production',
  'short sha 3f2a9c1 and tag v2.14.3-rc.1',
  'request id 123e4567-e89b-12d3-a456-426614174000 finished',
  'node v24.21.0, npm 11.19.1, kubectl 1.31.2',
  'GET http://127.0.0.1:8080/healthz 200 OK in 12ms',
  'image registry.example.com/web@sha256:9b2f1e0d8c7a6b5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f',
  'rolled out 3/3 replicas; the token bucket refilled',
  'ssh://git@github.com/org/repo.git',
  'Reading key from vault',
  'https://example.com/path?page=2&sort=asc',
];

describe('masking', () => {
  const mask = createMasker({env: {DEPLOY_TOKEN: 'tok-' + r(20), MY_API_KEY: 'k-' + r(12), SHORT_KEY: 'abc', HOME: '/home/x'}, patterns: ['ticket-[0-9]{4}']});

  it(`masks a corpus of ${SECRETS.length} secrets`, () => {
    assert.ok(SECRETS.length >= 50);
    for (const [text, secret] of SECRETS) {
      const masked = mask(text);
      assert.ok(!masked.includes(secret), `not masked: ${JSON.stringify(text)} → ${JSON.stringify(masked)}`);
      assert.ok(masked.includes(MASK), `no mask mark in ${JSON.stringify(masked)}`);
    }
  });

  it('keeps ordinary text as it is', () => {
    for (const text of ORDINARY) assert.equal(mask(text), text);
  });

  it('keeps the shape around a secret: the key name and the URL user stay', () => {
    assert.equal(mask('password=hunter22 next'), `password=${MASK} next`);
    assert.equal(mask('postgres://admin:pw123456@db/app'), `postgres://admin:${MASK}@db/app`);
  });

  it('masks values of secret-named environment variables, and foggy.yml redact patterns', () => {
    assert.equal(mask(`using tok-${r(20)} now`), `using ${MASK} now`);
    assert.equal(mask(`k-${r(12)}`), MASK);
    assert.equal(mask('abc /home/x'), 'abc /home/x');
    assert.equal(mask('see ticket-1234'), `see ${MASK}`);
  });

  it('masks every string in an object', () => {
    assert.deepEqual(maskDeep({a: ['password=abcdefgh'], b: {c: 1, d: 'ok'}}, mask), {a: [`password=${MASK}`], b: {c: 1, d: 'ok'}});
    // A key named __proto__ (JSON from outside) is copied as a key, not turned into the prototype.
    const hostile = maskDeep(JSON.parse('{"__proto__": {"polluted": "password=abcdefgh"}}') as Record<string, unknown>, mask);
    assert.equal(Object.getPrototypeOf(hostile), Object.prototype);
    assert.deepEqual(Object.keys(hostile), ['__proto__']);
    assert.equal(JSON.stringify(hostile), `{"__proto__":{"polluted":"password=${MASK}"}}`);
  });

  it('copies what masking changes, in its order, and shares what it leaves alone without changing the original', () => {
    const clean = {service: 'web', checks: [{name: 'http://web/', ok: true}]};
    const original = {first: 'ok', list: ['a', 'b', 'password=abcdefgh', 'c'], clean, last: 1};
    const before = JSON.stringify(original);
    const masked = maskDeep(original, mask);
    assert.equal(JSON.stringify(masked), JSON.stringify({first: 'ok', list: ['a', 'b', `password=${MASK}`, 'c'], clean, last: 1}));
    assert.equal(JSON.stringify(original), before);
    assert.notEqual(masked, original);
    assert.notEqual(masked.list, original.list);
    assert.equal(masked.clean, clean);
    assert.equal(maskDeep(clean, mask), clean);
  });
});

describe('masking what spans lines and layouts', () => {
  const mask = createMasker({env: {}});
  const body = Array.from({length: 8}, (_, i) => r(64, `${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.slice(i)}`));
  const block = (kind = 'RSA ') => [`-----BEGIN ${kind}PRIVATE KEY-----`, ...body, `-----END ${kind}PRIVATE KEY-----`];
  const noKeyLeft = (masked: string) => {
    for (const line of body) assert.ok(!masked.includes(line.slice(8, 40)), `key material left in ${JSON.stringify(masked.slice(0, 300))}`);
  };

  it('a private key block in every layout', () => {
    const layouts = [
      block().join('\n'),
      block('EC ').join('\r\n'),
      block('').join(' '),
      `{"private_key":"${block('').join('\\n')}\\n","client_email":"x@y"}`,
      `tls:\n  key: |\n${block('OPENSSH ').map((line) => `    ${line}`).join('\n')}\n  cert: c.pem`,
      ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF', '', ...body, '-----END RSA PRIVATE KEY-----'].join('\n'),
      ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'Version: GnuPG v2', '', ...body, '=AbCd', '-----END PGP PRIVATE KEY BLOCK-----'].join('\n'),
      block().slice(0, 5).join('\n'),
      [...body.slice(3), '-----END RSA PRIVATE KEY-----', 'deployed'].join('\n'),
    ];
    for (const text of layouts) {
      const masked = mask(`before\n${text}\nafter`);
      for (const line of body.slice(3, 6)) assert.ok(!masked.includes(line.slice(8, 40)), `left in ${JSON.stringify(masked)}`);
      assert.ok(masked.startsWith('before'));
    }
  });

  it('a key cut in two by a long output: its start kept in the head, its end in the tail', async () => {
    const {OutputCapture} = await import('../../src/core/actions/output-capture.js');
    const capture = new OutputCapture(1024, 2048);
    const lines = block();
    capture.write(Buffer.from(`${'x'.repeat(700)}\n`));
    // Written in small chunks, as a process prints them.
    for (const line of lines) for (let at = 0; at < line.length + 1; at += 17) capture.write(Buffer.from(`${line}\n`.slice(at, at + 17)));
    capture.write(Buffer.from(`${'filler line\n'.repeat(400)}`.slice(0, 4000)));
    capture.write(Buffer.from([...lines.slice(4), 'done: the rest of the log'].join('\n')));
    const text = capture.text();
    assert.match(text, /bytes of output omitted/);
    const masked = mask(text);
    noKeyLeft(masked);
    assert.match(masked, /bytes of output omitted/, 'the omission mark stays');
    assert.match(masked, /done: the rest of the log$/);
  });

  it('webhook URLs of Slack, Microsoft Teams, Discord and any hooks. host: the path is masked, the host stays', () => {
    const cases = [
      `https://hooks.slack.com/services/T0${r(8, UPPER)}/B0${r(8, UPPER)}/${r(24)}`,
      `https://acme.webhook.office.com/webhookb2/${r(8)}-${r(4)}@${r(8)}/IncomingWebhook/${r(32)}/${r(8)}`,
      `https://discord.com/api/webhooks/123456789012345678/${r(68)}`,
      `https://hooks.zapier.com/hooks/catch/1234567/${r(7)}/`,
    ];
    for (const url of cases) {
      const masked = mask(`POST ${url} done`);
      assert.equal(masked, `POST ${new URL(url).origin}/${masked.slice(masked.indexOf(new URL(url).origin) + new URL(url).origin.length + 1).split(' ')[0]} done`);
      assert.ok(!masked.includes(url.slice(-12)), masked);
      assert.ok(masked.includes(MASK));
    }
  });

  it('a Kubernetes Secret: its data values, whatever their keys, in YAML and JSON; other kinds and documents untouched', () => {
    const password = Buffer.from('s3cr3t-value').toString('base64');
    const yaml = `apiVersion: v1\ndata:\n  password: ${password}\n  db.conf: |\n    host=db\n    password=plain\n  username: ZGVwbG95\nkind: Secret\nmetadata:\n  name: db\n---\napiVersion: v1\ndata:\n  mode: ${password}\nkind: ConfigMap\n`;
    const masked = mask(yaml);
    assert.ok(!masked.includes(password.slice(0, 12)) || masked.includes(`mode: ${password}`), masked);
    assert.match(masked, /password: \[masked\]\n {2}db\.conf: \|\n {4}\[masked\]\n {4}\[masked\]\n {2}username: \[masked\]\nkind: Secret/);
    assert.match(masked, new RegExp(`mode: ${password.replaceAll('+', '\\+')}\\nkind: ConfigMap`), 'a ConfigMap in the next document is not a Secret');
    const json = `{"apiVersion":"v1","data":{"password":"${password}","user":"ZGVwbG95"},"kind":"Secret"}`;
    assert.equal(mask(json), '{"apiVersion":"v1","data":{"password":"[masked]","user":"[masked]"},"kind":"Secret"}');
  });

  it('a secret wrapped in base64 is masked whole; base64 of ordinary text stays', () => {
    const wrapped = Buffer.from(`aws_secret_access_key = ${r(40)}`).toString('base64');
    assert.equal(mask(`CONFIG_B64=${wrapped}`), `CONFIG_B64=${MASK}`);
    const jwtInside = Buffer.from(jwt).toString('base64');
    assert.equal(mask(`  token: ${jwtInside}`), `  token: ${MASK}`);
    const plain = Buffer.from('apiVersion: v1\nkind: ConfigMap').toString('base64');
    assert.equal(mask(`payload=${plain}`), `payload=${plain}`);
  });
});
