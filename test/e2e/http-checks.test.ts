import assert from 'node:assert/strict';
import {createServer as createHttpServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer, type ServerOptions} from 'node:https';
import {createServer as createTcpServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {brotliCompressSync, deflateSync, gzipSync} from 'node:zlib';
import {makeCertificates, type Certificates} from '../support/certificates.js';
import {Sandbox} from '../support/cli.js';
import {startProxy} from '../support/proxy.js';

/**
 * HTTP checks the way real services and networks behave, through the real CLI against real loopback
 * servers: stray bytes that must not reach another service's check, redirects, compressed bodies, endless
 * bodies, servers that are not HTTP, proxies, and TLS with client certificates, private CAs and expiry.
 */

interface StatusJson {
  ok: boolean;
  services: {service: string; ok: boolean; latencyMs: number; checks: {ok: boolean; detail: string}[]}[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function track(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function http(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  return `http://127.0.0.1:${await track(createHttpServer(handler))}`;
}

async function https(options: ServerOptions, handler: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.end('secure')): Promise<number> {
  return track(createHttpsServer(options, handler));
}

/** A raw server: `answer` gets each request's head (keep-alive, one request at a time per connection). */
async function raw(answer: (socket: Socket, head: string) => void): Promise<string> {
  const server = createTcpServer((socket) => {
    let pending = '';
    socket.on('data', (data) => {
      pending += data.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        answer(socket, head);
      }
    });
    socket.on('error', () => {});
  });
  return `http://127.0.0.1:${await track(server)}`;
}

/** `foggy status --json` over a catalog, in a fresh sandbox; the parsed result and the process's exit. */
async function status(catalog: string, env: NodeJS.ProcessEnv = {}, extra: string[] = [], how: 'in process' | 'as a process' = 'in process'): Promise<{code: number | null; json: StatusJson; stderr: string}> {
  const sandbox = new Sandbox(`version: 1\nservices:\n${catalog}`, env);
  closers.push(async () => sandbox.remove());
  const result = how === 'in process' ? await sandbox.run(['status', '--json', ...extra]) : await sandbox.runProcess(['status', '--json', ...extra]);
  assert.ok(result.stdout.trim(), `no JSON on stdout; stderr: ${result.stderr}`);
  return {code: result.code, json: JSON.parse(result.stdout) as StatusJson, stderr: result.stderr};
}

function detailOf(json: StatusJson, service: string): string {
  return json.services.find((s) => s.service === service)!.checks[0].detail;
}

function okOf(json: StatusJson, service: string): boolean {
  return json.services.find((s) => s.service === service)!.ok;
}

/** A small deterministic random source, so that a failing interleaving can be run again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('HTTP checks against real servers, end to end', function () {
  this.timeout(60_000);

  describe("one service's bytes never change another's result", () => {
    const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{"status":"ok"}';
    const STRAY = '{"status":"ok"}';
    const WHOLE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    // form, what /bad answers at once, what it sends 20 ms later, whether its check uses HEAD
    const forms: [string, string, string, boolean][] = [
      ['a 204 that declares a body, sent later', 'HTTP/1.1 204 No Content\r\nContent-Length: 15\r\n\r\n', STRAY, false],
      ['a 204 that declares nothing and sends a body later', 'HTTP/1.1 204 No Content\r\n\r\n', STRAY, false],
      ['a HEAD answer whose body comes later', 'HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n', STRAY, true],
      ['a body longer than its Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{"', 'status":"ok"}', false],
      ['a 204 that declares a body and then sends a whole response', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', WHOLE, false],
      ['a HEAD answer followed by a whole response', 'HTTP/1.1 200 OK\r\nContent-Length: 44\r\n\r\n', WHOLE, true],
    ];

    /** 40 services on one origin: /bad misbehaves, /broken answers 500, the others answer well; each answer after `delay`. */
    async function origin(first: string, later: string, delay: (path: string) => number, strayAfter: () => number): Promise<string> {
      return raw((socket, head) => {
        const path = head.split(' ')[1];
        setTimeout(() => {
          if (socket.destroyed) return;
          if (path === '/bad') {
            socket.write(first);
            setTimeout(() => socket.destroyed || socket.write(later), strayAfter());
          } else if (path === '/broken') socket.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 6\r\n\r\nbroken');
          else socket.write(OK);
        }, delay(path));
      });
    }

    function catalog(url: string, head: boolean, order: string[]): string {
      return order
        .map((name) => {
          const path = name === 'bad' ? 'bad' : name === 'broken' ? 'broken' : `health/${name}`;
          const check = name === 'broken' ? '' : `\n        expect: {body: "${name === 'bad' ? '' : 'ok'}"}`;
          return `  ${name}:\n    status:\n      - http: ${url}/${path}${name === 'bad' && head ? '\n        method: HEAD' : check}\n`;
        })
        .join('');
    }

    const names = ['bad', 'broken', ...Array.from({length: 38}, (_, i) => `svc${i}`)];

    for (const [form, first, later, head] of forms) {
      it(`${form}: every healthy service is up, the broken one down`, async () => {
        const url = await origin(first, later, () => 0, () => 20);
        const {json} = await status(catalog(url, head, names));
        const wrong = json.services.filter((s) => s.service !== 'bad' && s.ok !== (s.service !== 'broken'));
        assert.deepEqual(wrong.map((s) => `${s.service}: ${s.checks[0].detail}`), []);
      });
    }

    it('in random interleavings of answers and stray bytes, the same', async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const next = random(seed);
        const [, first, later, head] = forms[seed % forms.length];
        const delays = new Map(names.map((name) => [name, Math.floor(next() * 30)]));
        const url = await origin(first, later, (path) => delays.get(path.split('/').at(-1)!) ?? 0, () => Math.floor(next() * 40));
        const order = [...names].sort(() => next() - 0.5);
        const {json} = await status(catalog(url, head, order));
        const wrong = json.services.filter((s) => s.service !== 'bad' && s.ok !== (s.service !== 'broken'));
        assert.deepEqual(wrong.map((s) => `seed ${seed}, ${s.service}: ${s.checks[0].detail}`), []);
      }
    });
  });

  describe('redirects', () => {
    it('are followed, and the final answer judged: 301 to a page that answers 500 is down, naming the chain', async () => {
      const url = await http((request, response) => {
        if (request.url === '/old') return void response.writeHead(301, {location: '/moved'}).end();
        if (request.url === '/moved') return void response.writeHead(500).end('oops');
        if (request.url === '/hop') return void response.writeHead(302, {location: '/final'}).end();
        response.end('Hello from the end');
      });
      const {code, json} = await status(`  old:\n    status: [{http: "${url}/old"}]\n  hop:\n    status: [{http: "${url}/hop", expect: {body: Hello}}]\n`);
      assert.equal(code, 1);
      assert.equal(okOf(json, 'old'), false);
      assert.equal(detailOf(json, 'old'), '301 → 500 Internal Server Error at /moved, expected 2xx or 3xx');
      assert.equal(okOf(json, 'hop'), true);
      assert.equal(detailOf(json, 'hop'), '302 → 200 OK at /final');
    });

    it('follow_redirects: false judges the 3xx itself; expect: {status: 301} works either way', async () => {
      const url = await http((request, response) => (request.url === '/old' ? response.writeHead(301, {location: '/moved'}).end() : response.writeHead(500).end()));
      const {json} = await status(
        `  off:\n    status: [{http: "${url}/old", follow_redirects: false}]\n  expected:\n    status: [{http: "${url}/old", expect: {status: 301}}]\n  expected-off:\n    status: [{http: "${url}/old", follow_redirects: false, expect: {status: 301}}]\n`,
      );
      assert.deepEqual(
        json.services.map((s) => [s.service, s.ok, s.checks[0].detail]),
        [
          ['off', true, '301 Moved Permanently'],
          ['expected', true, '301 Moved Permanently'],
          ['expected-off', true, '301 Moved Permanently'],
        ],
      );
    });

    it('to another origin, the credentials stay behind; on the same origin they go along', async () => {
      const seen: Record<string, {authorization?: string; key?: string}> = {};
      const other = await http((request, response) => {
        seen.other = {authorization: request.headers.authorization, key: request.headers['x-api-key'] as string | undefined};
        response.end('there');
      });
      const first = await http((request, response) => {
        if (request.url === '/away') return void response.writeHead(302, {location: `${other}/there`}).end();
        if (request.url === '/near') return void response.writeHead(302, {location: '/here'}).end();
        seen.same = {authorization: request.headers.authorization, key: request.headers['x-api-key'] as string | undefined};
        response.end('here');
      });
      const withAuth = (path: string) => `[{http: "${first.replace('://', '://alice:s3cret@')}${path}", headers: {X-Api-Key: "k-123456"}}]`;
      const {json} = await status(`  away:\n    status: ${withAuth('/away')}\n  near:\n    status: ${withAuth('/near')}\n`);
      assert.deepEqual([okOf(json, 'away'), okOf(json, 'near')], [true, true]);
      assert.deepEqual(seen.other, {authorization: undefined, key: undefined});
      assert.equal(Buffer.from(seen.same.authorization!.slice(6), 'base64').toString(), 'alice:s3cret');
      assert.equal(seen.same.key, 'k-123456');
      assert.match(detailOf(json, 'away'), /^302 → 200 OK at http:\/\/127\.0\.0\.1:\d+\/there$/);
    });

    it('a loop stops after 10 redirects, down, saying so', async () => {
      let hops = 0;
      const url = await http((_, response) => {
        hops++;
        response.writeHead(302, {location: `/loop${hops}`}).end();
      });
      const {json} = await status(`  loop:\n    status: [{http: "${url}/loop"}]\n`);
      assert.equal(okOf(json, 'loop'), false);
      assert.match(detailOf(json, 'loop'), /^too many redirects \(more than 10\)/);
      assert.equal(hops, 11);
    });
  });

  describe('compressed bodies', () => {
    it('are asked for, and judged decoded: gzip, deflate, br', async () => {
      const text = Buffer.from('<html>Hello, compressed world</html>');
      const encodings: Record<string, Buffer> = {gzip: gzipSync(text), deflate: deflateSync(text), br: brotliCompressSync(text)};
      const accepted: string[] = [];
      const url = await http((request, response) => {
        accepted.push(String(request.headers['accept-encoding']));
        const encoding = request.url!.slice(1);
        response.writeHead(200, {'content-encoding': encoding}).end(encodings[encoding]);
      });
      const {json} = await status(Object.keys(encodings).map((encoding) => `  ${encoding}:\n    status: [{http: "${url}/${encoding}", expect: {body: "Hello, compressed"}}]\n`).join(''));
      assert.deepEqual(json.services.map((s) => [s.service, s.ok, s.checks[0].detail]), Object.keys(encodings).map((encoding) => [encoding, true, '200 OK']));
      assert.deepEqual(new Set(accepted), new Set(['gzip, deflate, br']));
    });

    it('a compression bomb is down with a clear detail, and costs no memory', async () => {
      const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
      const url = await http((_, response) => response.writeHead(200, {'content-encoding': 'gzip'}).end(bomb));
      const {json} = await status(`  bomb:\n    status: [{http: "${url}/", expect: {body: Hello}}]\n`);
      assert.equal(okOf(json, 'bomb'), false);
      assert.match(detailOf(json, 'bomb'), /^200 OK, but the body decompresses to more than 1 MiB \(from \d+ KiB of gzip\): too large to judge$/);
    });
  });

  describe('checks of the status alone settle at the headers', () => {
    it('a server-sent events stream, a trickling body, a kept-open unframed body: up, long before the timeout', async () => {
      const url = await http((request, response) => {
        if (request.url === '/events') {
          response.writeHead(200, {'content-type': 'text/event-stream'});
          response.write('data: hello\n\n');
          const beat = setInterval(() => response.write('data: beat\n\n'), 100);
          response.on('close', () => clearInterval(beat));
          return;
        }
        if (request.url === '/trickle') {
          response.writeHead(200, {'content-length': '100000'});
          const drip = setInterval(() => response.write('x'), 50);
          response.on('close', () => clearInterval(drip));
          return;
        }
        // HTTP/1.0 style: no length, the body ends when the connection does (never).
        response.socket!.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nstill going');
      });
      // The timeout is the whole run's: had the checks waited for the bodies, they would be down, "timed out".
      const {code, json} = await status(['events', 'trickle', 'unframed'].map((name) => `  ${name}:\n    status: [{http: "${url}/${name}", timeout: 20s}]\n`).join(''));
      assert.equal(code, 0, JSON.stringify(json));
      assert.deepEqual(json.services.map((s) => s.checks[0].detail), ['200 OK', '200 OK', '200 OK']);
    });
  });

  describe('servers that are not what they seem', () => {
    it('a server that speaks first (an SSH banner) is down at once, saying what it said', async () => {
      const server = createTcpServer((socket) => {
        socket.write('SSH-2.0-OpenSSH_9.6p1 Debian\r\n');
        socket.on('error', () => {});
      });
      const port = await track(server);
      // A 20 s timeout: the test's own would end first, were the check to wait for it.
      const {json} = await status(`  ssh:\n    status: [{http: "http://127.0.0.1:${port}/", timeout: 20s}]\n`);
      assert.equal(okOf(json, 'ssh'), false);
      assert.equal(detailOf(json, 'ssh'), 'not an HTTP server: it said SSH-2.0-OpenSSH_9.6p1 Debian\\r\\n');
    });

    it('tolerates what node:http and fetch tolerate, refuses what they refuse', async () => {
      const url = await raw((socket, head) => {
        const path = head.split(' ')[1];
        const answers: Record<string, string> = {
          '/crlf-first': '\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
          '/smuggle': 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
          '/bare-cr': 'HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\nContent-Length: 2\r\n\r\nok',
          '/nul': 'HTTP/1.1 200 OK\r\nX-A: 1\u00002\r\nContent-Length: 2\r\n\r\nok',
        };
        if (path === '/trailers') {
          socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n');
          const more = setInterval(() => (socket.destroyed ? clearInterval(more) : socket.write(`X-Trailer: ${'t'.repeat(4000)}\r\n`)), 5);
          return;
        }
        socket.write(answers[path]);
      });
      const {json} = await status(['crlf-first', 'smuggle', 'bare-cr', 'nul', 'trailers'].map((name) => `  ${name}:\n    status: [{http: "${url}/${name}", timeout: 20s, expect: {body: ok}}]\n`).join(''));
      assert.deepEqual(
        json.services.map((s) => [s.service, s.ok]),
        [
          ['crlf-first', true],
          ['smuggle', false],
          ['bare-cr', false],
          ['nul', false],
          ['trailers', false],
        ],
      );
      assert.match(detailOf(json, 'smuggle'), /both Transfer-Encoding and Content-Length/);
      assert.match(detailOf(json, 'trailers'), /headers and trailers exceed 64 KB/);
    });
  });

  describe('proxies', () => {
    it('HTTP_PROXY carries http checks (absolute form), HTTPS_PROXY https ones (CONNECT), NO_PROXY keeps some direct', async () => {
      const certificates = makeCertificates();
      closers.push(async () => certificates.remove());
      const proxy = await startProxy();
      closers.push(() => proxy.close());
      const site = await http((_, response) => response.end('through'));
      const direct = await http((_, response) => response.end('direct'));
      const securePort = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      const catalog = [
        `  plain:\n    status: [{http: "${site.replace('127.0.0.1', 'internal.test')}/", expect: {body: through}}]\n`,
        `  secure:\n    status: [{http: "https://localhost:${securePort}/", tls: {ca: "${certificates.file('ca.crt')}"}, expect: {body: secure}}]\n`,
        `  bypass:\n    status: [{http: "${direct}/", expect: {body: direct}}]\n`,
      ].join('');
      // internal.test resolves nowhere: only the proxy can reach it (the proxy forwards to 127.0.0.1).
      const {json} = await status(catalog.replace('internal.test', '127.0.0.1'), {HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: `localhost:1,127.0.0.1:${direct.split(':').at(-1)}`});
      assert.deepEqual(json.services.map((s) => [s.service, s.ok, s.checks[0].detail]), [
        ['plain', true, '200 OK'],
        ['secure', true, '200 OK'],
        ['bypass', true, '200 OK'],
      ]);
      assert.deepEqual(proxy.requests.sort(), [`CONNECT localhost:${securePort}`, `GET ${site}/`].sort());
    });

    it('a name only the proxy can resolve is reached through it', async () => {
      const upstream = await http((request, response) => response.end(`hello ${request.headers.host}`));
      // The proxy forwards every plain request to the upstream, whatever host it names.
      const proxy = await http((request, response) => {
        const target = new URL(request.url!);
        fetch(`${upstream}${target.pathname}`, {headers: {host: target.host}})
          .then(async (answer) => response.end(await answer.text()))
          .catch(() => response.writeHead(502).end());
      });
      const {json} = await status(`  intranet:\n    status: [{http: "http://wiki.corp.invalid/health", expect: {body: "hello"}}]\n`, {http_proxy: proxy});
      assert.equal(okOf(json, 'intranet'), true, detailOf(json, 'intranet'));
    });

    it('proxy credentials from the proxy URL, masked everywhere; a refused tunnel is said as such', async () => {
      const certificates = makeCertificates();
      closers.push(async () => certificates.remove());
      const proxy = await startProxy({credentials: 'ops:pr0xy-p4ss'});
      closers.push(() => proxy.close());
      const securePort = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      const site = await http((_, response) => response.end('ok'));
      const catalog = `  plain:\n    status: [{http: "${site}/"}]\n  secure:\n    status: [{http: "https://localhost:${securePort}/", tls: {ca: "${certificates.file('ca.crt')}"}}]\n`;
      const good = await status(catalog, {HTTPS_PROXY: `http://ops:pr0xy-p4ss@127.0.0.1:${proxy.port}`, HTTP_PROXY: `http://ops:pr0xy-p4ss@127.0.0.1:${proxy.port}`});
      assert.deepEqual(good.json.services.map((s) => s.ok), [true, true], JSON.stringify(good.json));
      assert.deepEqual(new Set(proxy.authorizations), new Set([`Basic ${Buffer.from('ops:pr0xy-p4ss').toString('base64')}`]));

      const bad = await status(catalog, {HTTPS_PROXY: `http://ops:wrong-pass@127.0.0.1:${proxy.port}`, HTTP_PROXY: `http://ops:wrong-pass@127.0.0.1:${proxy.port}`});
      assert.equal(detailOf(bad.json, 'secure'), `the proxy http://127.0.0.1:${proxy.port} refused the tunnel to localhost:${securePort}: 407 Proxy Authentication Required`);
      assert.equal(detailOf(bad.json, 'plain'), 'status 407 Proxy Authentication Required, expected 2xx or 3xx');
      assert.doesNotMatch(JSON.stringify(bad.json) + bad.stderr, /wrong-pass|pr0xy-p4ss/);
    });

    it('a check may name its own proxy, or none; a proxy that is down is named in the detail', async () => {
      const proxy = await startProxy();
      closers.push(() => proxy.close());
      const site = await http((_, response) => response.end('ok'));
      const {json} = await status(
        `  own:\n    status: [{http: "${site}/own", proxy: "${proxy.url}"}]\n  none:\n    status: [{http: "${site}/none", proxy: none}]\n  down:\n    status: [{http: "${site}/down", proxy: "http://127.0.0.1:1"}]\n`,
        {HTTP_PROXY: 'http://127.0.0.1:9'},
      );
      assert.deepEqual(json.services.map((s) => [s.service, s.ok, s.checks[0].detail]), [
        ['own', true, '200 OK'],
        ['none', true, '200 OK'],
        ['down', false, 'proxy http://127.0.0.1:1: connection refused'],
      ]);
      assert.deepEqual(proxy.requests, [`GET ${site}/own`]);
    });
  });

  describe('TLS', () => {
    let certificates: Certificates;
    before(() => {
      certificates = makeCertificates();
    });
    after(() => certificates.remove());

    it('a server that asks for a client certificate: down without one, saying what to set; up with tls.cert and tls.key', async () => {
      const port = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt'), ca: certificates.pem('ca.crt'), requestCert: true, rejectUnauthorized: true});
      const url = `https://localhost:${port}/`;
      const {json} = await status(
        [
          `  without:\n    status: [{http: "${url}", tls: {ca: "${certificates.file('ca.crt')}"}}]\n`,
          `  with:\n    status: [{http: "${url}", tls: {ca: "${certificates.file('ca.crt')}", cert: "${certificates.file('client.crt')}", key: "${certificates.file('client.key')}"}, expect: {body: secure}}]\n`,
          `  stranger:\n    status: [{http: "${url}", tls: {ca: "${certificates.file('ca.crt')}", cert: "${certificates.file('other-client.crt')}", key: "${certificates.file('other-client.key')}"}}]\n`,
        ].join(''),
      );
      assert.deepEqual(json.services.map((s) => [s.service, s.ok]), [
        ['without', false],
        ['with', true],
        ['stranger', false],
      ]);
      assert.equal(detailOf(json, 'without'), 'the server asks for a client certificate: set tls.cert and tls.key');
      assert.match(detailOf(json, 'stranger'), /client certificate/);
    });

    it('a private CA as tls.ca; a name the certificate lacks, unless tls.servername; an expired certificate, said in days', async () => {
      const server = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      const localhostOnly = await https({key: certificates.pem('localhost-only.key'), cert: certificates.pem('localhost-only.crt')});
      const expired = await https({key: certificates.pem('expired.key'), cert: certificates.pem('expired.crt')});
      const ca = certificates.file('ca.crt');
      const {json} = await status(
        [
          `  untrusted:\n    status: [{http: "https://localhost:${server}/"}]\n`,
          `  trusted:\n    status: [{http: "https://localhost:${server}/", tls: {ca: "${ca}"}}]\n`,
          `  wrong-name:\n    status: [{http: "https://127.0.0.1:${localhostOnly}/", tls: {ca: "${ca}"}}]\n`,
          `  servername:\n    status: [{http: "https://127.0.0.1:${localhostOnly}/", tls: {ca: "${ca}", servername: localhost}}]\n`,
          `  expired:\n    status: [{http: "https://localhost:${expired}/", tls: {ca: "${ca}"}}]\n`,
          `  insecure:\n    status: [{http: "https://localhost:${expired}/", tls: {insecure: true}}]\n`,
        ].join(''),
      );
      assert.deepEqual(json.services.map((s) => [s.service, s.ok]), [
        ['untrusted', false],
        ['trusted', true],
        ['wrong-name', false],
        ['servername', true],
        ['expired', false],
        ['insecure', true],
      ]);
      assert.match(detailOf(json, 'untrusted'), /^certificate is signed by an authority that is not trusted: give its CA as tls\.ca/);
      assert.equal(detailOf(json, 'wrong-name'), 'certificate is for localhost, not 127.0.0.1 (set tls.servername if the server should be asked by another name)');
      assert.match(detailOf(json, 'expired'), /^certificate expired \d+ days ago \(on 2021-01-01\)$/);
    });

    it('NODE_EXTRA_CA_CERTS keeps working', async () => {
      const port = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      // Node reads it as the process starts: a process of its own.
      const {json} = await status(`  site:\n    status: [{http: "https://localhost:${port}/"}]\n`, {NODE_EXTRA_CA_CERTS: certificates.file('ca.crt')}, [], 'as a process');
      assert.equal(okOf(json, 'site'), true, detailOf(json, 'site'));
    });

    it('expect: {certificate_days: 14} is down for a certificate that expires in 9 days, up for one of years', async () => {
      const soon = await https({key: certificates.pem('soon.key'), cert: certificates.pem('soon.crt')});
      const later = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      const ca = certificates.file('ca.crt');
      const {json} = await status(`  soon:\n    status: [{http: "https://localhost:${soon}/", tls: {ca: "${ca}"}, expect: {certificate_days: 14}}]\n  later:\n    status: [{http: "https://localhost:${later}/", tls: {ca: "${ca}"}, expect: {certificate_days: 14}}]\n`);
      assert.equal(okOf(json, 'soon'), false);
      assert.match(detailOf(json, 'soon'), /^200 OK, but its certificate expires in [89] days \(on \d{4}-\d\d-\d\d\), within 14 days$/);
      assert.equal(okOf(json, 'later'), true);
      assert.match(detailOf(json, 'later'), /^200 OK; certificate expires in \d{4} days/);
    });

    it('a TLS file that cannot be read is down, naming it; cert without key is refused when the catalog loads', async () => {
      const port = await https({key: certificates.pem('server.key'), cert: certificates.pem('server.crt')});
      const {json} = await status(`  site:\n    status: [{http: "https://localhost:${port}/", tls: {ca: "no-such-ca.pem"}}]\n`);
      assert.match(detailOf(json, 'site'), /^tls\.ca \/.*\/no-such-ca\.pem: no such file$/);
      const sandbox = new Sandbox(`version: 1\nservices:\n  site:\n    status: [{http: "https://localhost:${port}/", tls: {cert: client.pem}}]\n`);
      closers.push(async () => sandbox.remove());
      const refused = await sandbox.run(['status']);
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /status\[0\]\.tls\.cert: expected tls\.cert and tls\.key together/);
    });
  });
});
