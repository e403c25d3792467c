import assert from 'node:assert/strict';
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadCatalog} from '../../src/core/catalog/load.js';
import {parseCatalog, parseWithPositions} from '../../src/core/catalog/parse.js';
import {locateCatalog} from '../../src/core/catalog/locate.js';
import {findAction, findService, selectServices} from '../../src/core/catalog/lookup.js';
import {FoggyError} from '../../src/core/errors/foggy-error.js';
import {tempDir} from '../support/temp.js';

const VALID = `version: 1
channel: "#ops"
services:
  web:
    description: the site
    protected: true
    status:
      - http: http://127.0.0.1:8080/
        expect: {status: 200, body: Hello}
        timeout: 2s
      - dns: localhost
    deploy:
      run: ["./deploy.sh", "{ref}"]
      timeout: 10m
  db:
    status:
      - tcp: 127.0.0.1:5433
      - command: ["true"]
    restart:
      run: systemctl restart db
`;

function problem(text: string): FoggyError {
  try {
    parseCatalog(text, '/srv/foggy.yml');
  } catch (error) {
    assert.ok(error instanceof FoggyError, `expected a FoggyError, got ${error}`);
    assert.equal(error.kind, 'usage');
    return error;
  }
  assert.fail('expected the catalog to be rejected');
}

describe('catalog', () => {
  it('normalises a valid catalog: durations, defaults, check kinds', () => {
    const catalog = parseCatalog(VALID, '/srv/foggy.yml');
    assert.equal(catalog.dir, '/srv');
    assert.equal(catalog.channel, '#ops');
    const web = catalog.services.get('web')!;
    assert.equal(web.protected, true);
    assert.deepEqual(web.checks[0], {
      type: 'http', name: 'http://127.0.0.1:8080/', url: 'http://127.0.0.1:8080/', method: 'GET', headers: {}, tls: {insecure: false}, followRedirects: true,
      timeoutMs: 2000, expect: {status: [200], body: 'Hello'},
    });
    assert.equal(web.checks[1].type, 'dns');
    assert.equal(web.checks[1].timeoutMs, 5000);
    assert.deepEqual(web.actions.deploy, {run: ['./deploy.sh', '{ref}'], timeoutMs: 600_000, env: {}});
    const db = catalog.services.get('db')!;
    assert.deepEqual(db.checks[0], {type: 'tcp', name: '127.0.0.1:5433', host: '127.0.0.1', port: 5433, timeoutMs: 5000});
    assert.equal(db.actions.restart?.run, 'systemctl restart db');
    assert.equal(db.protected, false);
    assert.deepEqual(catalog.mirror, {required: false, budgetMs: 3000});
  });

  it('names file, line, column, key and expectation for a bad duration', () => {
    const error = problem(VALID.replace('timeout: 2s', 'timeout: soon'));
    assert.match(error.message, /^\/srv\/foggy\.yml:10:18: services\.web\.status\[0]\.timeout: expected a duration such as 500ms, 2s, 10m or 1h .*\(got "soon"\)/);
  });

  it('points at an unknown key itself', () => {
    const error = problem(VALID.replace('    protected: true', '    protectd: true'));
    assert.match(error.message, /foggy\.yml:6:5: services\.web\.protectd: expected no such key/);
  });

  it('rejects an unsafe service name', () => {
    const error = problem(VALID.replace('  db:', '  "db; rm -rf /":'));
    assert.match(error.message, /foggy\.yml:15:3: services\.db; rm -rf \/: expected a service name/);
  });

  it('explains a check with no known type', () => {
    const error = problem(VALID.replace('- tcp: 127.0.0.1:5433', '- ping: 127.0.0.1'));
    assert.match(error.message, /foggy\.yml:17:9: services\.db\.status\[0]: expected a check: an object with one of the keys http, tcp, dns or command/);
  });

  it('reports YAML syntax errors with their position', () => {
    const error = problem('version: 1\nservices:\n  web: [unclosed\n');
    assert.match(error.message, /^\/srv\/foggy\.yml:\d+:\d+: invalid YAML: /);
  });

  it('rejects duplicate keys', () => {
    const error = problem(VALID.replace('  db:\n', '  web:\n'));
    assert.match(error.message, /invalid YAML: .*unique/i);
  });

  it('places a repeated key where it repeats, at any depth, and tells 1 from "1"', () => {
    // text, where the repeated key is (line:column), or undefined when no key repeats
    const cases: [string, string | undefined][] = [
      ['version: 1\nservices:\n  web: {}\n  db: {}\n  web: {}\n', '5:3'],
      ['version: 1\nservices:\n  web:\n    status:\n      - {http: "http://a/", http: "http://b/"}\n', '5:29'],
      ['version: 1\nversion: 1\nservices: {}\n', '2:1'],
      ['version: 1\nservices:\n  web:\n    watch: {1: a, "1": b}\n', undefined],
    ];
    for (const [text, where] of cases) {
      let message = '';
      try {
        parseWithPositions(text, '/srv/foggy.yml', {}, {});
      } catch (error) {
        message = (error as Error).message;
      }
      if (where) assert.equal(message, `/srv/foggy.yml:${where}: invalid YAML: Map keys must be unique`, text);
      else assert.doesNotMatch(message, /unique/, text);
    }
  });

  it('finds a key repeated after 20,000 others, and says where', function () {
    this.timeout(20_000);
    const text = `version: 1\nservices:\n${Array.from({length: 20_000}, (_, i) => `  s${i}: {}\n`).join('')}  s7: {}\n`;
    assert.throws(() => parseWithPositions(text, '/srv/foggy.yml', {}, {}), /foggy\.yml:20003:3: invalid YAML: Map keys must be unique/);
  });

  it('requires version and services', () => {
    const error = problem('channel: "#ops"\n');
    assert.match(error.message, /\(top level\): expected the key "version"/);
    assert.match(error.message, /\(top level\): expected the key "services"/);
  });

  it('rejects an invalid regular expression with its location', () => {
    const error = problem(`${VALID}redact:\n  - "([unclosed"\n`);
    assert.match(error.message, /foggy\.yml:22:5: redact\[0]: expected a regular expression/);
  });

  it('rejects a port out of range', () => {
    const error = problem(VALID.replace('127.0.0.1:5433', '127.0.0.1:70000'));
    assert.match(error.message, /services\.db\.status\[0]\.tcp: expected a port from 1 to 65535/);
  });

  it('suggests the closest service name', () => {
    const catalog = parseCatalog(VALID, '/srv/foggy.yml');
    assert.throws(() => findService(catalog, 'wbe'), (error: FoggyError) => error.kind === 'usage' && /did you mean "web"\?/.test(error.message));
    assert.deepEqual(selectServices(catalog, []).map((s) => s.name), ['web', 'db']);
    assert.deepEqual(selectServices(catalog, ['db', 'db']).map((s) => s.name), ['db']);
  });

  it('names the verbs a service has when the action is missing', () => {
    const catalog = parseCatalog(VALID, '/srv/foggy.yml');
    assert.throws(() => findAction(catalog.services.get('web')!, 'restart'), (error: FoggyError) => /has no restart action/.test(error.message) && error.hint === 'It has: status, deploy.');
  });

  describe('locating foggy.yml', () => {
    const dir = tempDir();
    after(() => dir.remove());

    it('walks up from the working directory, like git', () => {
      const file = dir.file('foggy.yml', VALID);
      const deep = join(dir.path, 'a', 'b');
      mkdirSync(deep, {recursive: true});
      assert.equal(locateCatalog({cwd: deep, env: {}}), file);
    });

    it('prefers --config, then FOGGY_CONFIG', () => {
      const other = dir.file('other.yml', VALID);
      assert.equal(locateCatalog({cwd: '/', env: {FOGGY_CONFIG: other}}), other);
      assert.equal(locateCatalog({explicit: 'other.yml', cwd: dir.path, env: {FOGGY_CONFIG: '/nope.yml'}}), other);
      assert.throws(() => locateCatalog({explicit: '/nope/foggy.yml', env: {}}), /Config file not found: \/nope\/foggy\.yml/);
    });

    it('says how to fix a missing catalog', () => {
      assert.throws(() => locateCatalog({cwd: '/proc/self', env: {}}), (error: FoggyError) => error.kind === 'usage' && /No foggy\.yml found/.test(error.message));
    });
  });

  describe('the cache of validated catalogs', () => {
    const dir = tempDir();
    const env = {XDG_CACHE_HOME: join(dir.path, 'cache')};
    const cached = () => {
      const folder = join(dir.path, 'cache', 'foggy', 'catalogs');
      const [name] = readdirSync(folder);
      return join(folder, name);
    };
    after(() => dir.remove());

    it('gives the same catalog as a parse, and is what a run with an unchanged file reads', async () => {
      const file = dir.file('foggy.yml', VALID);
      const first = await loadCatalog(file, env);
      assert.deepEqual(first, parseCatalog(VALID, file));
      // Proof that the second load reads the cache: an edit made to the cached copy shows up.
      const stored = JSON.parse(readFileSync(cached(), 'utf8'));
      stored.catalog.services[0].description = 'from the cache';
      writeFileSync(cached(), JSON.stringify(stored));
      const second = await loadCatalog(file, env);
      assert.equal(second.services.get('web')?.description, 'from the cache');
      assert.deepEqual([...second.services.keys()], ['web', 'db']);
    });

    it('is never stale: a changed file is parsed again, and an invalid one is rejected', async () => {
      const file = dir.file('foggy.yml', VALID);
      await loadCatalog(file, env);
      dir.file('foggy.yml', VALID.replace('description: the site', 'description: the new site'));
      assert.equal((await loadCatalog(file, env)).services.get('web')?.description, 'the new site');
      dir.file('foggy.yml', VALID.replace('timeout: 2s', 'timeout: soon'));
      await assert.rejects(loadCatalog(file, env), (error: FoggyError) => error.kind === 'usage' && /timeout/.test(error.message));
    });

    it('a corrupt cache only costs a parse', async () => {
      const file = dir.file('foggy.yml', VALID);
      await loadCatalog(file, env);
      writeFileSync(cached(), '{"key": tor');
      assert.deepEqual(await loadCatalog(file, env), parseCatalog(VALID, file));
    });
  });
});

describe('catalog variables: ${VAR} and ${VAR:-default} in what checks reach', () => {
  const catalogWith = (check: string, run = '"echo ${FOGGY_REF} $HOME"') => `version: 1
services:
  web:
    status:
      - ${check}
    deploy:
      run: ${run}
`;
  const cases: [string, string, NodeJS.ProcessEnv, (catalog: ReturnType<typeof parseCatalog>) => unknown, unknown][] = [
    ['a URL port from the environment', 'http: http://127.0.0.1:${PORT}/', {PORT: '9090'}, (c) => (c.services.get('web')!.checks[0] as {url: string}).url, 'http://127.0.0.1:9090/'],
    ['a default when unset', 'http: http://127.0.0.1:${PORT:-8080}/', {}, (c) => (c.services.get('web')!.checks[0] as {url: string}).url, 'http://127.0.0.1:8080/'],
    ['a default when empty', 'tcp: 127.0.0.1:${DB_PORT:-5432}', {DB_PORT: ''}, (c) => (c.services.get('web')!.checks[0] as {port: number}).port, 5432],
    ['host and port', 'tcp: ${DB_HOST}:${DB_PORT}', {DB_HOST: 'db.internal', DB_PORT: '6543'}, (c) => (c.services.get('web')!.checks[0] as {host: string}).host, 'db.internal'],
    ['a DNS name', 'dns: ${ZONE:-example.org}', {}, (c) => (c.services.get('web')!.checks[0] as {hostname: string}).hostname, 'example.org'],
    ['a header value (a token kept out of the file)', 'http: http://127.0.0.1/\n        headers: {Authorization: "Bearer ${HEALTH_TOKEN}"}', {HEALTH_TOKEN: 'abc'}, (c) => (c.services.get('web')!.checks[0] as {headers: Record<string, string>}).headers.Authorization, 'Bearer abc'],
    ["an action's command is left alone (a shell uses ${VAR} itself)", 'http: http://127.0.0.1/', {FOGGY_REF: 'x'}, (c) => c.services.get('web')!.actions.deploy!.run, 'echo ${FOGGY_REF} $HOME'],
  ];
  for (const [what, check, env, pick, expected] of cases) it(what, () => assert.deepEqual(pick(parseCatalog(catalogWith(check), '/srv/foggy.yml', env)), expected));

  it('an unset variable without a default is a usage error naming it, where it is', () => {
    assert.throws(() => parseCatalog(catalogWith('http: http://127.0.0.1:${PORT}/'), '/srv/foggy.yml', {}), (error: FoggyError) => {
      assert.equal(error.kind, 'usage');
      assert.match(error.message, /^\/srv\/foggy\.yml:5:\d+: services\.web\.status\[0\]\.http: \$\{PORT\} is not set \(set it, or give a default: \$\{PORT:-value\}\)$/);
      return true;
    });
  });

  it('an expanded value is validated like a written one', () => {
    assert.throws(() => parseCatalog(catalogWith('tcp: 127.0.0.1:${PORT}'), '/srv/foggy.yml', {PORT: '99999'}), /expected a port from 1 to 65535/);
  });

  it('the cache follows the variables, and a secret from the environment is never written to it', async () => {
    const dir = tempDir();
    try {
      const env = {XDG_CACHE_HOME: join(dir.path, 'cache'), PORT: '1111'};
      const file = dir.file('foggy.yml', catalogWith('http: http://127.0.0.1:${PORT}/'));
      const url = async (environment: NodeJS.ProcessEnv) => ((await loadCatalog(file, environment)).services.get('web')!.checks[0] as {url: string}).url;
      assert.equal(await url(env), 'http://127.0.0.1:1111/');
      assert.equal(await url({...env, PORT: '2222'}), 'http://127.0.0.1:2222/');
      const secret = dir.file('secret.yml', catalogWith('http: http://127.0.0.1/\n        headers: {Authorization: "Bearer ${HEALTH_TOKEN}"}'));
      await loadCatalog(secret, {...env, HEALTH_TOKEN: 'super-secret-value'});
      const cached = readdirSync(join(dir.path, 'cache', 'foggy', 'catalogs')).map((name) => readFileSync(join(dir.path, 'cache', 'foggy', 'catalogs', name), 'utf8')).join('\n');
      assert.ok(cached.includes('1111') || cached.includes('2222'), 'the plain catalog is cached');
      assert.ok(!cached.includes('super-secret-value'), 'the secret is not');
    } finally {
      dir.remove();
    }
  });
});

describe('catalog: watch settings, depends_on and alert', () => {
  const catalog = (extra: string, service = '') => `version: 1
${extra}
services:
  db:
    status:
      - tcp: 127.0.0.1:5432
  web:
    status:
      - http: http://127.0.0.1/
${service}`;

  it('defaults, catalog-wide settings, and a service overriding them key by key', () => {
    const parsed = parseCatalog(catalog('watch: {interval: 10s, down_after: 5, remind: 0}\nalert: {mention: [U0ONCALL1]}', '    watch: {interval: 2s, flapping: {changes: 3}, grace_after_action: 30s}\n    depends_on: [db]\n    alert: {mention: [S0SRE0001]}'), '/srv/foggy.yml');
    const db = parsed.services.get('db')!;
    const web = parsed.services.get('web')!;
    assert.deepEqual(db.watch, {intervalMs: 10_000, downAfter: 5, upAfter: 2, remindMs: 0, flapping: {changes: 6, windowMs: 600_000}, graceAfterActionMs: 120_000});
    assert.deepEqual(web.watch, {intervalMs: 2000, downAfter: 5, upAfter: 2, remindMs: 0, flapping: {changes: 3, windowMs: 600_000}, graceAfterActionMs: 30_000});
    assert.deepEqual([db.mention, web.mention, web.dependsOn], [['U0ONCALL1'], ['S0SRE0001'], ['db']]);
    assert.deepEqual(parseCatalog(catalog(''), '/srv/foggy.yml').services.get('db')!.watch, {intervalMs: 60_000, downAfter: 3, upAfter: 2, remindMs: 1_800_000, flapping: {changes: 6, windowMs: 600_000}, graceAfterActionMs: 120_000});
  });

  const refused: [string, string, string, RegExp][] = [
    ['an unknown dependency', '', '    depends_on: [cache]', /services\.web\.depends_on\[0\]: no service "cache" in the catalog/],
    ['a service depending on itself', '', '    depends_on: [web]', /a dependency cycle: web → web/],
    ['a cycle through two services', '', '    depends_on: [cache]\n  cache:\n    depends_on: [web]\n    status:\n      - tcp: 127.0.0.1:6379', /a dependency cycle/],
    ['a mention that is not a Slack id', 'alert: {mention: ["<!channel>"]}', '', /alert\.mention\[0\]/],
    ['down_after of zero', 'watch: {down_after: 0}', '', /watch\.down_after/],
    ['a watch key foggy does not know', 'watch: {every: 5s}', '', /watch/],
  ];
  for (const [what, extra, service, message] of refused) {
    it(`refuses ${what}`, () => assert.match(problem(catalog(extra, service)).message, message));
  }

  describe('the quick and the careful reading agree', () => {
    it('on every problem: the careful reading names it, with its place', () => {
      for (const text of ['version: 1\nservices:\n  web: {status: [{tcp: x}]}\n  web: {}\n', 'version: 1\nservices:\n  web:\n    status:\n      - http: ftp://x\n', 'version: 1\nredact: ["("]\nservices: {web: {}}\n']) {
        const message = (fn: () => unknown) => {
          try {
            fn();
          } catch (error) {
            return (error as Error).message;
          }
          return 'no error';
        };
        const quick = message(() => parseCatalog(text, '/x/foggy.yml', {}));
        assert.match(quick, /^\/x\/foggy\.yml:\d+:\d+: /);
        assert.equal(quick, message(() => parseWithPositions(text, '/x/foggy.yml', {}, {})));
      }
    });

    // A valid catalog is read by js-yaml, anything else again by yaml: both must make the same catalog.
    const cases: [string, string][] = [
      ['the example catalog', VALID],
      [
        'scalars YAML 1.1 and 1.2 read differently',
        `version: 1
services:
  web:
    description: yes
    status:
      - http: http://127.0.0.1:8080/
        headers: {X-On: "on", X-Octal: "0o17", X-Float: "1e3", X-Null: "~", X-Colon: "a: b"}
        expect: {status: [200, 0x12D], body: "1_000"}
        timeout: 1.5
    deploy:
      run: deploy.sh
      env: {TOKEN: "012", FLAG: "off", EMPTY: ""}
`,
      ],
      [
        'block and flow styles, comments, unicode, a key named __proto__',
        `# the catalog
version: 1 # always 1
channel: "#ops"
redact: ['ticket-\\d+']
services:
  api-v2_b: {status: [{tcp: "[::1]:443", name: "tls port ✓"}]}
  web:
    description: >
      folded
      text
    status:
      - command: |
          curl -fsS http://localhost/ \
            | grep ok
    restart: {run: [systemctl, restart, "web né"], env: {__proto__: x, constructor: y}}
`,
      ],
      ['an alias (the quick reading refuses aliases)', `version: 1
services:
  web: {status: [&check {tcp: "127.0.0.1:1"}]}
  db: {status: [*check]}
`],
    ];
    for (const [what, text] of cases) {
      it(`${what}: the same catalog`, () => {
        const quick = parseCatalog(text, '/x/foggy.yml', {});
        assert.deepEqual(quick, parseWithPositions(text, '/x/foggy.yml', {}, {}));
      });
    }
  });
});
