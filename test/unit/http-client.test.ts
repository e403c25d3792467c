import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer as createHttpServer, type IncomingMessage, type Server as HttpServer} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {createServer as createTcpServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {fileURLToPath} from 'node:url';
import type {HttpCheck} from '../../src/core/catalog/types.js';
import {prepareRequest} from '../../src/core/checks/http-client.js';
import {runCheck} from '../../src/core/checks/run-checks.js';
import {collect} from '../support/cli.js';
import {tempDir} from '../support/temp.js';

/**
 * The HTTP client of checks against real loopback servers: node's own, and raw TCP servers that misbehave
 * the way real ones do (closing kept-alive connections, speaking something else, never stopping).
 */

function http(url: string, extra: Partial<HttpCheck> = {}): HttpCheck {
  return {type: 'http', name: 'site', url, method: 'GET', headers: {}, tls: {insecure: false}, followRedirects: true, timeoutMs: 2000, expect: {}, ...extra};
}

const options = {cwd: process.cwd(), env: {}};

interface Listening {
  port: number;
  url: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

async function listen(server: Server | HttpServer, scheme = 'http', host = '127.0.0.1'): Promise<Listening> {
  const sockets = new Set<Socket>();
  const state = {connections: 0};
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const {port} = server.address() as AddressInfo;
  return {
    port,
    url: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A raw TCP server: `answer` gets each request's head as it arrives on a connection, with its number there. */
function rawServer(answer: (socket: Socket, request: string, nth: number) => void): Promise<Listening> {
  return listen(
    createTcpServer((socket) => {
      let pending = '';
      let nth = 0;
      socket.on('data', (data) => {
        pending += data.toString('latin1');
        let end: number;
        while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
          const request = pending.slice(0, end);
          pending = pending.slice(end + 4);
          answer(socket, request, ++nth);
        }
      });
      socket.on('error', () => {});
    }),
  );
}

describe('HTTP client of checks', () => {
  const servers: Listening[] = [];
  const serve = async (server: Promise<Listening>) => {
    const running = await server;
    servers.push(running);
    return running;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('shares a few kept-alive connections among many checks of one origin', async () => {
    const site = await serve(listen(createHttpServer((_, response) => response.end('Hello World'))));
    const results = await Promise.all(Array.from({length: 300}, (_, i) => runCheck(http(`${site.url}health/${i}`, {expect: {body: 'Hello'}}), `svc${i}`, options)));
    assert.deepEqual(
      results.filter((result) => !result.ok),
      [],
    );
    // 32 at once; more only while the server stays silent, which a machine busy with other work (another copy of
    // this suite) can make it for a moment: still a handful of connections for 300 checks, never one each.
    assert.ok(site.connections <= 64, `${site.connections} connections for 300 checks`);
    // And the next round reuses them.
    const before = site.connections;
    const again = await runCheck(http(site.url), 'web', options);
    assert.equal(again.ok, true, again.detail);
    assert.equal(site.connections, before);
  });

  it('gives a server slow to answer more connections: its checks wait for its answers, not for each other', async () => {
    // 300 checks of a server that takes 500 ms to answer each: 32 connections in turn would need 5 s, past
    // the checks' timeout; more connections as the answers keep them waiting finish them all.
    const site = await serve(listen(createHttpServer((_, response) => setTimeout(() => response.end('slow'), 500))));
    const results = await Promise.all(Array.from({length: 300}, (_, i) => runCheck(http(`${site.url}${i}`, {timeoutMs: 4000}), `svc${i}`, options)));
    assert.deepEqual(
      results.filter((result) => !result.ok).map((result) => result.detail),
      [],
    );
    assert.ok(site.connections > 32 && site.connections <= 256, `${site.connections} connections`);
    // A latency is the server's time, from the request sent.
    assert.ok(results.every((result) => result.latencyMs >= 490));
  });

  it('sends the check again, once, on a fresh connection when a kept-alive one turns out closed', async () => {
    // The second request on any connection is met with a close and no answer: a server whose keep-alive
    // timeout passed just as the request went out.
    const site = await serve(
      rawServer((socket, _, nth) => {
        if (nth > 1) return void socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }),
    );
    const first = await runCheck(http(site.url), 'web', options);
    const second = await runCheck(http(site.url), 'web', options);
    assert.deepEqual([first.ok, second.ok], [true, true], second.detail);
    assert.equal(site.connections, 2);
  });

  it('does not send again on a fresh connection that closes without answering', async () => {
    const site = await serve(rawServer((socket) => socket.destroy()));
    const result = await runCheck(http(site.url), 'web', options);
    assert.equal(result.ok, false);
    assert.equal(result.detail, 'the connection closed before any response');
    assert.equal(site.connections, 1);
  });

  it('opens a new connection after a response that says Connection: close', async () => {
    const site = await serve(listen(createHttpServer((_, response) => response.setHeader('connection', 'close').end('bye'))));
    for (let i = 0; i < 3; i++) assert.equal((await runCheck(http(site.url), 'web', options)).ok, true);
    assert.equal(site.connections, 3);
  });

  it('sends the method, Host, the catalog headers and the URL credentials as Basic authorization', async () => {
    const seen: IncomingMessage[] = [];
    const site = await serve(
      listen(
        createHttpServer((request, response) => {
          seen.push(request);
          response.end('ok');
        }),
      ),
    );
    const url = `http://ops%40example.com:p%C3%A4ss@127.0.0.1:${site.port}/ready?full=1`;
    const result = await runCheck(http(url, {method: 'HEAD', headers: {'X-Probe': 'foggy', Accept: 'text/plain'}}), 'web', options);
    assert.equal(result.ok, true, result.detail);
    const [request] = seen;
    assert.equal(request.method, 'HEAD');
    assert.equal(request.url, '/ready?full=1');
    assert.equal(request.headers.host, `127.0.0.1:${site.port}`);
    assert.equal(request.headers['x-probe'], 'foggy');
    assert.equal(request.headers.accept, 'text/plain');
    assert.equal(request.headers.authorization, `Basic ${Buffer.from('ops@example.com:päss').toString('base64')}`);
  });

  it('refuses a header that would split the request, and sends nothing', async () => {
    const site = await serve(rawServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')));
    const injected = await runCheck(http(site.url, {headers: {'X-Token': 'abc\r\nX-Admin: yes'}}), 'web', options);
    assert.equal(injected.ok, false);
    assert.match(injected.detail, /request header X-Token holds a character a header cannot carry/);
    const badName = await runCheck(http(site.url, {headers: {'Bad Name': 'x'}}), 'web', options);
    assert.match(badName.detail, /request header name "Bad Name" is not valid/);
    assert.equal(site.connections, 0);
  });

  it('reaches an IPv6 address', async function () {
    let site: Listening;
    try {
      site = await serve(listen(createHttpServer((_, response) => response.end('six')), 'http', '::1'));
    } catch {
      return this.skip(); // No IPv6 loopback on this machine.
    }
    const result = await runCheck(http(site.url, {expect: {body: 'six'}}), 'web', options);
    assert.equal(result.ok, true, result.detail);
  });

  it('checks HTTPS: a self-signed certificate fails, unless the check is insecure', async () => {
    const tls = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url)));
    const site = await serve(listen(createHttpsServer({key: tls('localhost.key'), cert: tls('localhost.crt')}, (_, response) => response.end('secure')), 'https'));
    const insecure = await runCheck(http(site.url, {tls: {insecure: true}, expect: {body: 'secure'}}), 'web', options);
    const strict = await runCheck(http(site.url), 'web', options);
    assert.equal(insecure.ok, true, insecure.detail);
    assert.equal(strict.ok, false);
    assert.equal(strict.detail, 'certificate is self-signed: trust it with tls.ca (its PEM file), or set tls.insecure');
  });

  it('times out every check of an origin that never answers, the queued ones too, and closes their connections', async () => {
    const site = await serve(rawServer(() => {}));
    const results = await Promise.all(Array.from({length: 40}, (_, i) => runCheck(http(`${site.url}${i}`, {timeoutMs: 300}), `svc${i}`, options)));
    assert.deepEqual(new Set(results.map((result) => result.detail)), new Set(['timed out after 300ms']));
    // Abandoned connections are closed, not given to the next check: a new one answers at once.
    const healthy = await serve(listen(createHttpServer((_, response) => response.end('ok'))));
    assert.equal((await runCheck(http(healthy.url), 'web', options)).ok, true);
  });

  it('stops a check when the caller aborts', async () => {
    const site = await serve(rawServer(() => {}));
    const controller = new AbortController();
    const running = runCheck(http(site.url, {timeoutMs: 30_000}), 'web', {...options, signal: controller.signal});
    setTimeout(() => controller.abort(), 100);
    assert.equal((await running).detail, 'interrupted');
  });

  describe('a request made ready from its URL', () => {
    const request = (url: string) => prepareRequest({url, method: 'GET', headers: {}, tls: {insecure: false}, keepBody: false, keepHeaders: false, maxBodyBytes: 1024, settleAtHead: false});
    // url, request target, Host header, Authorization (decoded), same origin as
    const cases: [string, string, string, string | undefined, string | undefined][] = [
      ['http://example.com', '/', 'example.com', undefined, undefined],
      ['http://Example.COM:80/a?b=1#frag', '/a?b=1', 'example.com', undefined, 'http://example.com/other'],
      ['https://example.com:443/x', '/x', 'example.com', undefined, 'https://example.com/'],
      ['https://example.com:8443/x', '/x', 'example.com:8443', undefined, undefined],
      ['http://[::1]:8080/health', '/health', '[::1]:8080', undefined, 'http://[0:0::1]:8080/'],
      ['http://127.1/', '/', '127.0.0.1', undefined, 'http://127.0.0.1:80/'],
      ['http://host/a/../b/./c', '/b/c', 'host', undefined, undefined],
      ['http://host/with space/ü?q=ü ü', '/with%20space/%C3%BC?q=%C3%BC%20%C3%BC', 'host', undefined, undefined],
      ['http://bücher.example/', '/', 'xn--bcher-kva.example', undefined, undefined],
      ['http://alice:p%40ss:w@host:81/', '/', 'host:81', 'alice:p@ss:w', undefined],
      ['http://alice@host/', '/', 'host', 'alice:', undefined],
      ['http://:secret@host/', '/', 'host', ':secret', undefined],
    ];
    for (const [url, target, host, credentials, sameAs] of cases) {
      it(url, () => {
        const prepared = request(url);
        const lines = prepared.head.split('\r\n');
        assert.equal(lines[0], `GET ${target} HTTP/1.1`);
        assert.ok(lines.includes(`Host: ${host}`), prepared.head);
        const authorization = lines.find((line) => line.startsWith('Authorization: Basic '));
        assert.equal(authorization && Buffer.from(authorization.slice(21), 'base64').toString(), credentials);
        if (sameAs) assert.equal(prepared.origin, request(sameAs).origin);
      });
    }

    it('keeps origins apart by scheme, port and certificate policy', () => {
      const origins = ['http://host/', 'https://host/', 'http://host:81/', 'http://other/'].map((url) => request(url).origin);
      assert.equal(new Set(origins).size, 4);
      const insecure = prepareRequest({url: 'https://host/', method: 'GET', headers: {}, tls: {insecure: true}, keepBody: false, keepHeaders: false, maxBodyBytes: 1024, settleAtHead: false});
      assert.notEqual(insecure.origin, origins[1]);
    });

    it('refuses what is not a URL', () => {
      assert.throws(() => request('not a url'), /"not a url" is not a valid URL/);
    });
  });

  describe('servers that misbehave', () => {
    // what, how the server answers, check, ok, detail
    const huge = 'x'.repeat(64 * 1024);
    const cases: [string, (socket: Socket) => void, Partial<HttpCheck>, boolean, RegExp][] = [
      ['speaks another protocol', (socket) => socket.end('220 smtp.example.com ESMTP ready\r\n\r\n'), {}, false, /^not an HTTP server: it said 220 smtp.example.com ESMTP ready\\r\\n/],
      ['sends endless headers', (socket) => socket.write(`HTTP/1.1 200 OK\r\nX-Junk: ${huge}${huge}`), {}, false, /the response headers exceed 64 KB/],
      ['closes halfway through a body the check judges', (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf'), {expect: {body: 'half'}}, false, /closed before the response was complete/],
      ['closes halfway through a body: a check of the status alone has its answer', (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf'), {}, true, /^200 OK$/],
      [
        'sends a body that never ends: read up to 1 MB, then judged',
        (socket) => {
          socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
          const chunk = `10000\r\n${'y'.repeat(0x10000)}\r\n`;
          const more = () => {
            while (!socket.destroyed && socket.write(chunk));
          };
          socket.on('drain', more);
          more();
        },
        {expect: {body: 'needle'}},
        false,
        /200 OK, but the body does not contain "needle"/,
      ],
      ['answers 500', (socket) => socket.end('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n'), {}, false, /status 500 Internal Server Error, expected 2xx or 3xx/],
      ['answers in HTTP/1.0 without a length', (socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nHello from the past'), {expect: {body: 'past'}}, true, /^200 OK$/],
    ];
    for (const [what, answer, check, ok, detail] of cases) {
      it(what, async () => {
        const site = await serve(rawServer((socket) => answer(socket)));
        const result = await runCheck(http(site.url, {timeoutMs: 5000, ...check}), 'web', options);
        assert.equal(result.ok, ok, result.detail);
        assert.match(result.detail, detail);
      });
    }
  });

  describe('the process', () => {
    const dir = tempDir();
    after(() => dir.remove());
    const runChild = (source: string) => {
      const script = dir.file(`child-${Math.random().toString(36).slice(2)}.mts`, source);
      return collect(spawn(process.execPath, ['--import', 'tsx', script], {stdio: ['ignore', 'pipe', 'pipe']}));
    };
    const src = (path: string) => JSON.stringify(fileURLToPath(new URL(`../../src/core/checks/${path}`, import.meta.url)));

    it('exits when the checks are done: idle kept-alive connections do not hold it', async () => {
      const site = await serve(listen(createHttpServer({keepAliveTimeout: 60_000}, (_, response) => response.end('ok'))));
      // Were idle connections holding the process, it would live on until they close, and this timer would print.
      const child = await runChild(`
        import {runCheck} from ${src('run-checks.ts')};
        setTimeout(() => console.log('still alive'), 2000).unref();
        const result = await runCheck({type: 'http', name: 'site', url: ${JSON.stringify(site.url)}, method: 'GET', headers: {}, tls: {insecure: false}, followRedirects: true, timeoutMs: 30000, expect: {}}, 'web', {cwd: '.', env: {}});
        console.log(result.detail);
      `);
      assert.equal(child.code, 0, child.stderr);
      assert.equal(child.stdout, '200 OK\n');
    });

    it('stays alive while a request is in flight, though no timer holds it', async () => {
      const site = await serve(listen(createHttpServer((_, response) => setTimeout(() => response.end('late'), 300))));
      const child = await runChild(`
        import {prepareRequest, sendRequest} from ${src('http-client.ts')};
        const never = {aborted: false, reason: undefined, onAbort: () => () => {}};
        sendRequest(prepareRequest({url: ${JSON.stringify(site.url)}, method: 'GET', headers: {}, tls: {insecure: false}, keepBody: true, keepHeaders: false, maxBodyBytes: 100, settleAtHead: false}), never, (error, response) => {
          console.log(response ? \`\${response.status} \${response.body.toString()}\` : error);
        });
      `);
      assert.equal(child.code, 0, child.stderr);
      assert.equal(child.stdout, '200 late\n');
    });
  });
});
