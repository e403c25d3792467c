import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {parseCatalog} from '../../src/core/catalog/parse.js';
import {catalogSecrets} from '../../src/core/catalog/secrets.js';
import {CHECK_KINDS, kindFor, kindOf} from '../../src/core/checks/kinds/index.js';

/**
 * The registry of check kinds is the one place the catalog, its schema, its variables and the masks read:
 * every kind shows in the published schema, is recognised by its key, normalised, and asked for its secrets.
 */
describe('check kinds, one module each', () => {
  const published = JSON.parse(readFileSync(new URL('../../schema/foggy.schema.json', import.meta.url), 'utf8')) as {definitions: Record<string, {properties?: Record<string, unknown>; anyOf?: unknown[]}>};

  it('the published schema is the registry\'s: each kind\'s definition, and the check is one of them', () => {
    for (const kind of CHECK_KINDS) assert.deepEqual(published.definitions[`${kind.type}Check`], kind.schema, kind.type);
    assert.deepEqual(published.definitions.check.anyOf, CHECK_KINDS.map((kind) => ({required: [kind.key]})));
  });

  it('a kind declares variables only for keys its schema has', () => {
    for (const kind of CHECK_KINDS) {
      const properties = Object.keys((kind.schema as {properties: Record<string, unknown>}).properties);
      for (const key of [...kind.variables.keys, ...(kind.variables.maps ?? [])]) assert.ok(properties.includes(key), `${kind.type}: ${key}`);
    }
  });

  const catalog = `version: 1
services:
  web:
    status:
      - http: https://ops:pw-from-url@web.example:8443/health
        headers: {Authorization: "Bearer health-token-1", X-Plain: visible}
        proxy: http://proxyuser:proxy-pass@proxy:3128
        tls: {ca: certs/ca.pem}
      - tcp: "[::1]:5432"
      - dns: web.example
      - command: [pg_isready]
`;

  it('each raw check finds its kind by its key, and is normalised by it', () => {
    const parsed = parseCatalog(catalog, '/srv/ops/foggy.yml', {});
    const checks = parsed.services.get('web')!.checks;
    assert.deepEqual(checks.map((check) => check.type), ['http', 'tcp', 'dns', 'command']);
    for (const check of checks) assert.equal(kindOf(check).type, check.type);
    assert.equal(kindFor({tcp: 'x:1'})?.type, 'tcp');
    assert.equal(kindFor({nothing: 1}), undefined);
    const http = checks[0] as Extract<(typeof checks)[number], {type: 'http'}>;
    assert.equal(http.tls.ca, '/srv/ops/certs/ca.pem', 'files are relative to the catalog');
    assert.deepEqual(checks[1], {type: 'tcp', name: '[::1]:5432', host: '::1', port: 5432, timeoutMs: 5000});
  });

  it('what each kind says is secret is masked with the catalog', () => {
    const secrets = catalogSecrets(parseCatalog(catalog, '/srv/ops/foggy.yml', {}));
    for (const secret of ['pw-from-url', 'proxy-pass', 'health-token-1', 'Bearer health-token-1']) assert.ok(secrets.includes(secret), secret);
    assert.ok(!secrets.includes('visible'));
  });

  it('a variable in a proxy URL\'s password is a secret kept out of the cache; one in a target is not', () => {
    const info: {secretsFromEnvironment?: boolean} = {};
    parseCatalog('version: 1\nservices:\n  web:\n    status:\n      - http: "https://${HOST}/"\n        proxy: "http://u:${PROXY_PASS}@p:1"\n', '/srv/foggy.yml', {HOST: 'web', PROXY_PASS: 'x'}, info);
    assert.equal(info.secretsFromEnvironment, true);
    const plain: {secretsFromEnvironment?: boolean} = {};
    parseCatalog('version: 1\nservices:\n  web:\n    status:\n      - http: "https://${HOST}/"\n', '/srv/foggy.yml', {HOST: 'web'}, plain);
    assert.equal(plain.secretsFromEnvironment, false);
  });

  it('bad values of the new keys are refused where they are', () => {
    const refused = (check: string) => {
      try {
        parseCatalog(`version: 1\nservices:\n  web:\n    status:\n      - ${check}\n`, '/srv/foggy.yml', {});
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    assert.match(refused('{http: "https://a/", proxy: "socks5://p:1"}'), /status\[0\]\.proxy: expected none or an http:\/\/ or https:\/\/ proxy URL \(proxy is a socks5 proxy/);
    assert.match(refused('{http: "https://a/", tls: {key: k.pem}}'), /tls\.key: expected tls\.cert and tls\.key together/);
    assert.match(refused('{http: "https://a/", tls: {ca: ""}}'), /tls\.ca/);
    assert.match(refused('{http: "https://a/", expect: {certificate_days: 0}}'), /certificate_days/);
    assert.match(refused('{http: "https://a/", follow_redirects: "yes"}'), /follow_redirects/);
    assert.match(refused('{http: "https://a/", tls: {verify: false}}'), /tls\.verify: expected no such key/);
  });
});
