import assert from 'node:assert/strict';
import {DEFAULT_WATCH} from '../../src/core/catalog/defaults.js';
import type {Check, HttpCheck} from '../../src/core/catalog/types.js';
import {checkService, checkServices, runCheck} from '../../src/core/checks/run-checks.js';
import {closedPort, httpService, tcpService, type Running} from '../support/servers.js';
import {tempDir} from '../support/temp.js';

function http(url: string, extra: Partial<HttpCheck> = {}): HttpCheck {
  return {type: 'http', name: 'site', url, method: 'GET', headers: {}, tls: {insecure: false}, followRedirects: true, timeoutMs: 2000, expect: {}, ...extra};
}

const options = {cwd: process.cwd(), env: {}};

describe('checks', () => {
  let site: Running;
  before(async () => {
    site = await httpService((request, response) => {
      if (request.url === '/slow') return void setTimeout(() => response.end('late'), 3000);
      if (request.url === '/missing') {
        response.writeHead(404).end('nope');
        return;
      }
      response.writeHead(200, {'x-version': 'v2'}).end('<h1>Hello World</h1>');
    });
  });
  after(() => site.close());

  describe('http', () => {
    it('passes on 200 with the expected body and header', async () => {
      const result = await runCheck(http(site.url, {expect: {status: [200], body: 'Hello', headers: {'X-Version': 'v2'}}}), 'web', options);
      assert.equal(result.ok, true, result.detail);
      assert.equal(result.detail, '200 OK');
      assert.ok(result.latencyMs >= 0);
    });

    it('fails on the wrong body', async () => {
      const result = await runCheck(http(site.url, {expect: {body: 'Goodbye'}}), 'web', options);
      assert.equal(result.ok, false);
      assert.equal(result.detail, '200 OK, but the body does not contain "Goodbye"');
    });

    it('fails on a body that does not match the pattern', async () => {
      const result = await runCheck(http(site.url, {expect: {bodyPattern: 'Hello \\d+'}}), 'web', options);
      assert.equal(result.detail, '200 OK, but the body does not match /Hello \\d+/');
    });

    it('fails on an unexpected status (default: 2xx or 3xx)', async () => {
      const result = await runCheck(http(`${site.url}missing`), 'web', options);
      assert.equal(result.ok, false);
      assert.equal(result.detail, 'status 404 Not Found, expected 2xx or 3xx');
    });

    it('fails when the service is down', async () => {
      const result = await runCheck(http(`http://127.0.0.1:${await closedPort()}/`), 'web', options);
      assert.deepEqual([result.ok, result.detail], [false, 'connection refused']);
    });

    it('fails a slow answer at its timeout', async () => {
      const result = await runCheck(http(`${site.url}slow`, {timeoutMs: 300}), 'web', options);
      assert.deepEqual([result.ok, result.detail], [false, 'timed out after 300ms']);
      assert.ok(result.latencyMs < 2500, `took ${result.latencyMs}ms`);
    });
  });

  describe('tcp', () => {
    it('passes when the port accepts, fails when it is closed', async () => {
      const db = await tcpService();
      try {
        const up = await runCheck({type: 'tcp', name: 'db', host: '127.0.0.1', port: db.port, timeoutMs: 1000}, 'db', options);
        assert.equal(up.ok, true, up.detail);
      } finally {
        await db.close();
      }
      const down = await runCheck({type: 'tcp', name: 'db', host: '127.0.0.1', port: await closedPort(), timeoutMs: 1000}, 'db', options);
      assert.deepEqual([down.ok, down.detail], [false, 'connection refused']);
    });
  });

  describe('dns', () => {
    it('resolves localhost, optionally to an expected address', async () => {
      const result = await runCheck({type: 'dns', name: 'dns', hostname: 'localhost', timeoutMs: 2000}, 'x', options);
      assert.equal(result.ok, true, result.detail);
      const wrong = await runCheck({type: 'dns', name: 'dns', hostname: 'localhost', expect: ['192.0.2.1'], timeoutMs: 2000}, 'x', options);
      assert.equal(wrong.ok, false);
      assert.match(wrong.detail, /^localhost resolves to .*, expected 192\.0\.2\.1$/);
    });

    it('fails for a name that does not resolve', async () => {
      // .invalid is reserved (RFC 2606): it never resolves.
      const result = await runCheck({type: 'dns', name: 'dns', hostname: 'no-such-host.invalid', timeoutMs: 3000}, 'x', options);
      assert.equal(result.ok, false);
      assert.match(result.detail, /does not resolve|lookup failed|timed out/);
    });
  });

  describe('command', () => {
    it('passes on exit 0 and fails on any other exit, with the last line of output', async () => {
      const ok = await runCheck({type: 'command', name: 'c', command: ['sh', '-c', 'echo fine'], timeoutMs: 2000}, 'x', options);
      assert.deepEqual([ok.ok, ok.detail], [true, 'exit 0: fine']);
      const bad = await runCheck({type: 'command', name: 'c', command: 'echo broken >&2; exit 3', timeoutMs: 2000}, 'x', options);
      assert.deepEqual([bad.ok, bad.detail], [false, 'exit 3: broken']);
      const missing = await runCheck({type: 'command', name: 'c', command: ['no-such-command-here'], timeoutMs: 2000}, 'x', options);
      assert.deepEqual([missing.ok, missing.detail], [false, 'command not found: no-such-command-here']);
    });
  });

  it('runs a service\'s checks in parallel, and one failure makes it down', async () => {
    const dir = tempDir();
    try {
      // Each check arrives at a barrier and waits for the other two: run one after another, the first would
      // wait alone until its timeout. No clock is read.
      const barrier = (n: number): Check => ({type: 'command', name: `barrier ${n}`, command: ['sh', '-c', `touch ${dir.path}/${n}; while [ "$(ls ${dir.path} | wc -l)" -lt 3 ]; do sleep 0.02; done`], timeoutMs: 10_000});
      const status = await checkService(
        {name: 'web', protected: false, actions: {}, watch: DEFAULT_WATCH, dependsOn: [], mention: [], chat: {allow: {}, approvers: []}, checks: [barrier(1), barrier(2), barrier(3), {type: 'command', name: 'false', command: ['false'], timeoutMs: 1000}]},
        options,
      );
      assert.equal(status.ok, false);
      assert.deepEqual(status.checks.map((c) => [c.name, c.ok]), [['barrier 1', true], ['barrier 2', true], ['barrier 3', true], ['false', false]]);
    } finally {
      dir.remove();
    }
  });

  it('checks every service of a large catalog and reports each in catalog order, whatever order they answer in', async () => {
    const service = (index: number) => ({
      name: `svc${index}`,
      protected: false,
      actions: {},
      watch: DEFAULT_WATCH,
      dependsOn: [],
      mention: [],
      chat: {allow: {}, approvers: []},
      // Every seventh is down, every third has no checks, the rest are up; with more services than start together.
      checks: index % 3 === 0 ? [] : [http(index % 7 === 0 ? `${site.url}missing` : `${site.url}?n=${index}`, {name: `check ${index}`})],
    });
    const services = Array.from({length: 300}, (_, index) => service(index));
    const statuses = await checkServices(services, options);
    assert.deepEqual(
      statuses.map((status) => [status.service, status.ok, status.checks.map((check) => check.name)]),
      services.map((each, index) => [each.name, index % 3 === 0 || index % 7 !== 0, each.checks.map((check) => check.name)]),
    );
    assert.deepEqual(await checkServices([], options), []);
  });

  it('stops every check when the caller aborts, those not yet started too', async () => {
    const controller = new AbortController();
    const services = Array.from({length: 200}, (_, index) => ({name: `svc${index}`, protected: false, actions: {}, watch: DEFAULT_WATCH, dependsOn: [], mention: [], chat: {allow: {}, approvers: []}, checks: [http(`${site.url}slow`, {timeoutMs: 60_000})]}));
    const pending = checkServices(services, {...options, signal: controller.signal});
    setImmediate(() => controller.abort());
    const statuses = await pending;
    assert.equal(statuses.length, 200);
    assert.deepEqual([...new Set(statuses.map((status) => `${status.ok} ${status.checks[0].detail}`))], ['false interrupted']);
  });
});
