import assert from 'node:assert/strict';
import {HttpResponseError, MAX_HEAD_BYTES, ResponseReader, type ParsedResponse, type ResponseReaderOptions} from '../../src/core/checks/http-response.js';

const GET: ResponseReaderOptions = {head: false, keepBody: true, keepHeaders: true, maxBodyBytes: 1024 * 1024};

type Read = ParsedResponse & {reusable: boolean; ended: boolean};

/** Feeds the bytes in the given pieces, then (if asked) the connection's close; the response (and whether its connection may be reused), or the error. */
function read(pieces: (string | Buffer)[], options: ResponseReaderOptions = GET, close = false): Read | Error | undefined {
  const reader = new ResponseReader(options);
  try {
    for (const piece of pieces) reader.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'latin1'));
    if (close && !reader.ended) reader.end();
    return reader.response && {...reader.response, reusable: reader.reusable, ended: reader.ended};
  } catch (error) {
    return error as Error;
  }
}

/** Every way of cutting the bytes in two: framing must not depend on where the network splits them. */
function everySplit(text: string): string[][] {
  return Array.from({length: text.length - 1}, (_, at) => [text.slice(0, at + 1), text.slice(at + 1)]);
}

describe('HTTP response reader', () => {
  describe('framing: where the response ends, and whether the connection can carry another', () => {
    // what, bytes, options, close after, status, body, reusable
    const cases: [string, string, ResponseReaderOptions, boolean, number, string, boolean][] = [
      ['Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello', GET, false, 200, 'Hello', true],
      ['Content-Length 0', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', GET, false, 200, '', true],
      ['the same length repeated', 'HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nHello', GET, false, 200, 'Hello', true],
      ['chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n6\r\n World\r\n0\r\n\r\n', GET, false, 200, 'Hello World', true],
      ['chunked, with extensions and trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=x\r\nHello\r\n0\r\nX-Trailer: 1\r\n\r\n', GET, false, 200, 'Hello', true],
      ['leading empty lines before the status line are skipped', '\r\n\r\n\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', true],
      ['no length: read until close', 'HTTP/1.1 200 OK\r\n\r\nuntil the end', GET, true, 200, 'until the end', false],
      ['a coding other than chunked last: until close', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw', GET, true, 200, 'raw', false],
      ['HEAD has no body, whatever its headers say; one that declares a length is not trusted with another request', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', {...GET, head: true}, false, 200, '', false],
      ['HEAD declaring no body keeps its connection', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', {...GET, head: true}, false, 200, '', true],
      ['204 has no body', 'HTTP/1.1 204 No Content\r\n\r\n', GET, false, 204, '', true],
      ['204 declaring a body: its server may send one, so the connection is not reused', 'HTTP/1.1 204 No Content\r\nContent-Length: 15\r\n\r\n', GET, false, 204, '', false],
      ['204 with a Transfer-Encoding: not reused', 'HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n', GET, false, 204, '', false],
      ['304 declaring a length: no body, not reused', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', GET, false, 304, '', false],
      ['an interim answer declaring a body taints the connection', 'HTTP/1.1 100 Continue\r\nContent-Length: 3\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', false],
      ['interim 103 then the answer', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', true],
      ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', false],
      ['HTTP/1.0 closes by default', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', false],
      ['HTTP/1.0 with keep-alive', 'HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok', GET, false, 200, 'ok', true],
      ['bare LF line ends', 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', GET, false, 200, 'ok', true],
      ['a body not wanted is framed, not kept', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHello', {...GET, keepBody: false}, false, 200, '', true],
      ['a body past the limit: taken as it is, not reused', `HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n${'x'.repeat(100)}`, {...GET, maxBodyBytes: 10}, false, 200, 'x'.repeat(100), false],
      ['101 is final, and ends the connection', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n', GET, false, 101, '', false],
    ];
    for (const [what, bytes, given, close, status, body, reusable] of cases) {
      it(what, () => {
        // Framing is the same whether every header is kept or only those that frame.
        for (const options of [given, {...given, keepHeaders: false}])
        for (const pieces of [[bytes], ...everySplit(bytes)]) {
          const response = read(pieces, options, close);
          assert.ok(response && !(response instanceof Error), `${what}: ${String(response)} for ${JSON.stringify(pieces)}`);
          assert.equal(response.status, status);
          // The limit keeps at least what it was given in one piece; cut finer, it stops at the limit.
          if (options.maxBodyBytes >= body.length) assert.equal(response.body.toString('latin1'), body, JSON.stringify(pieces));
          else assert.ok(response.body.length >= options.maxBodyBytes);
          assert.equal(response.reusable, reusable, `reusable for ${JSON.stringify(pieces)}`);
          assert.equal(response.ended, true);
        }
      });
    }
  });

  it('bytes after the response in the same piece: the connection is not reused', () => {
    // Bytes arriving later, on an idle connection, close it (see the client).
    const response = read(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA']) as Read;
    assert.equal(response.body.toString(), 'ok');
    assert.equal(response.reusable, false);
  });

  describe('headers', () => {
    it('lower-cases names, joins repeated ones, unfolds folded ones, keeps the status message', () => {
      const response = read(['HTTP/1.1 503 Service Unavailable\r\nX-A: 1\r\nx-a: 2\r\nX-Long: one\r\n  two\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n']) as Read;
      assert.equal(response.status, 503);
      assert.equal(response.statusMessage, 'Service Unavailable');
      assert.deepEqual({a: response.headers['x-a'], long: response.headers['x-long'], cookie: response.headers['set-cookie']}, {a: '1, 2', long: 'one two', cookie: 'a=1, b=2'});
    });

    it('keeps only the framing headers when not asked for all, and still refuses a malformed one', () => {
      const bytes = 'HTTP/1.1 200 OK\r\nX-Version: v2\r\nCONTENT-LENGTH: 2\r\nX-Long: a\r\n  b\r\nConnection: keep-alive\r\n  , close\r\nDate: today\r\n\r\nok';
      const lean = read([bytes], {...GET, keepHeaders: false}) as Read;
      assert.deepEqual(lean.headers, {'content-length': '2', connection: 'keep-alive , close'});
      assert.equal(lean.reusable, false, 'the folded Connection value still counts');
      const all = read([bytes]) as Read;
      assert.deepEqual(all.headers, {'x-version': 'v2', 'content-length': '2', 'x-long': 'a b', connection: 'keep-alive , close', date: 'today'});
      for (const line of ['Bad Name: x', 'no colon', ': empty name', 'X-\u00e9: accented']) {
        const error = read([`HTTP/1.1 200 OK\r\n${line}\r\nContent-Length: 0\r\n\r\n`], {...GET, keepHeaders: false});
        assert.ok(error instanceof HttpResponseError && /malformed header line/.test(error.message), line);
      }
    });

    it('takes a status line without a reason', () => {
      const response = read(['HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n']) as Read;
      assert.equal(response.status, 200);
      assert.equal(response.statusMessage, '');
    });
  });

  describe('what is not a response is a clear error', () => {
    // what, bytes, close after, message
    const cases: [string, (string | Buffer)[], boolean, RegExp][] = [
      ['not HTTP at all', ['SSH-2.0-OpenSSH_9.6\r\n\r\n'], false, /^not an HTTP server: it said SSH-2.0-OpenSSH_9.6\\r\\n\\r\\n$/],
      ['not HTTP, known at the first byte that differs', ['S'], false, /^not an HTTP server: it said S$/],
      ['a long banner, clipped', [`+OK ${'x'.repeat(100)}`], false, /^not an HTTP server: it said \+OK x{36}…$/],
      ['Transfer-Encoding and Content-Length together', ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'], false, /both Transfer-Encoding and Content-Length/],
      ['a bare CR inside a header value', ['HTTP/1.1 200 OK\r\nX-A: one\rX-B: two\r\nContent-Length: 0\r\n\r\n'], false, /bare CR or a NUL/],
      ['a NUL inside a header value', ['HTTP/1.1 200 OK\r\nX-A: one\u0000two\r\nContent-Length: 0\r\n\r\n'], false, /bare CR or a NUL/],
      ['a bare CR after the status line', ['HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n'], false, /status line is not valid/],
      ['an HTTP version that does not exist', ['HTTP/5.6 200 OK\r\n\r\n'], false, /status line is not valid/],
      ['endless trailers count toward the header limit', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n', ...Array.from({length: 70}, () => `X-T: ${'t'.repeat(1000)}\r\n`)], false, /headers and trailers exceed 64 KB/],
      ['endless empty lines before the status line', ['\r\n'.repeat(MAX_HEAD_BYTES)], false, /headers exceed 64 KB/],
      ['a malformed header line', ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'], false, /malformed header line/],
      ['a header name with a space', ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'], false, /malformed header line/],
      ['different lengths', ['HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nHello'], false, /invalid Content-Length/],
      ['a negative length', ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'], false, /invalid Content-Length/],
      ['an invalid chunk size', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], false, /invalid chunk size/],
      ['a chunk longer than its size', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n'], false, /does not end where its size says/],
      ['an endless chunk header', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '1'.repeat(5000)], false, /chunk header .* too long/],
      ['endless headers', ['HTTP/1.1 200 OK\r\n', `X: ${'a'.repeat(MAX_HEAD_BYTES)}`], false, /headers exceed 64 KB/],
      ['closed before anything', [], true, /closed before any response/],
      ['closed halfway through the body', ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf'], true, /closed before the response was complete/],
      ['closed halfway through the head', ['HTTP/1.1 200 OK\r\nContent-Le'], true, /closed before the response was complete/],
    ];
    for (const [what, pieces, close, message] of cases) {
      it(what, () => {
        const error = read(pieces, GET, close);
        assert.ok(error instanceof HttpResponseError, `${what}: got ${JSON.stringify(error)}`);
        assert.match(error.message, message);
      });
    }
  });

  describe('a check of the status alone is answered at the head', () => {
    const STATUS: ResponseReaderOptions = {...GET, keepBody: false, keepHeaders: false, maxBodyBytes: 64 * 1024, settleAtHead: true};

    it('a body that never ends (server-sent events): answered at once, the connection given up', () => {
      const reader = new ResponseReader(STATUS);
      reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: 1\n\n'));
      assert.equal(reader.response?.status, 200);
      assert.equal(reader.ended, true, 'read until close: nothing to drain');
      assert.equal(reader.reusable, false);
    });

    it('a short framed body is drained, and then the connection is reused', () => {
      const reader = new ResponseReader(STATUS);
      reader.push(Buffer.from('HTTP/1.1 503 Busy\r\nContent-Length: 10\r\n\r\nsome'));
      assert.equal(reader.response?.status, 503);
      assert.equal(reader.ended, false);
      reader.push(Buffer.from(' more'));
      reader.push(Buffer.from('!'));
      assert.deepEqual([reader.ended, reader.reusable], [true, true]);
    });

    it('a body past the drain limit: cut, not reused', () => {
      const reader = new ResponseReader({...STATUS, maxBodyBytes: 8});
      reader.push(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
      assert.equal(reader.response?.status, 200);
      reader.push(Buffer.from('10\r\n0123456789abcdef\r\n'));
      assert.deepEqual([reader.ended, reader.reusable], [true, false]);
    });

    it('the connection closing mid-body loses the connection, not the answer', () => {
      const reader = new ResponseReader(STATUS);
      reader.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf'));
      assert.equal(reader.end().status, 200);
      assert.equal(reader.reusable, false);
    });
  });

  it('reads a response given one byte at a time', () => {
    const bytes = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    const response = read([...bytes].map((byte) => Buffer.from([byte]))) as Read;
    assert.equal(response.body.toString(), 'abc');
    assert.equal(response.reusable, true);
  });

  it('keeps a body as bytes: UTF-8 split across pieces decodes whole', () => {
    const body = Buffer.from('héllo wörld ✓');
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
    const response = read([Buffer.concat([head, body.subarray(0, 2)]), body.subarray(2)]) as Read;
    assert.equal(response.body.toString('utf8'), 'héllo wörld ✓');
  });
});
