/**
 * An HTTP/1.1 response read from a connection's bytes, for checks. Pure: bytes in, a response (or an error)
 * out, so every framing rule is a table-driven test, and llhttp's own response cases run against it. It
 * exists because node:http's request and response objects, streams and agent cost about 0.25 ms of CPU a
 * request in a cold process, most of a status of a thousand services; a check needs the status line, the
 * headers, a bounded body and to know where the response ends, and whether that end is certain: a
 * connection carries the next check only then, so one service's bytes can never become another's answer.
 */

export interface ParsedResponse {
  status: number;
  statusMessage: string;
  /** Lower-case names; repeated headers joined with ", ". Unless all were kept, only those the client needs. */
  headers: Record<string, string>;
  /** The body's first bytes (at most the limit), when it was wanted. */
  body: Buffer;
  /** The body went past the limit: `body` holds its first bytes only. */
  truncated: boolean;
  /** From the request written to the response read, set by the client: the server's time. */
  elapsedMs: number;
  /** The server's TLS certificate, set by the client for HTTPS: when it stops being valid. */
  certificate?: {validTo: number; subject: string};
}

export class HttpResponseError extends Error {}

/** The server does not speak HTTP at all (an SSH banner, a database, TLS on a plain port). */
export class NotHttpError extends HttpResponseError {}

/** Headers (and trailers) beyond this are a broken or hostile server, not a health check's answer. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;

type Framing = {kind: 'none'} | {kind: 'length'; remaining: number} | {kind: 'chunked'} | {kind: 'close'};
type ChunkState = 'size' | 'data' | 'data-end' | 'trailers';

export interface ResponseReaderOptions {
  /** HEAD: the response has no body, whatever its headers say. */
  head: boolean;
  /** Keep the body's bytes (else they are only counted, to find the response's end). */
  keepBody: boolean;
  /** Keep every header (else only those the client needs: framing, Location, Content-Encoding). */
  keepHeaders: boolean;
  /** Past this many body bytes the response is taken as it is and the connection is not reused. */
  maxBodyBytes: number;
  /**
   * The check needs the status alone: the response is handed over as soon as its head is read, and the rest
   * is only drained (up to maxBodyBytes) so that the connection can be reused, or cut off.
   */
  settleAtHead?: boolean;
}

/**
 * Reads one response: `push` each chunk the connection gives, `end` when it closes. `response` is set once
 * what was asked for has arrived; `ended` once the whole response has (then `reusable` says whether the
 * connection may carry another request). Both throw HttpResponseError when the bytes are not a response.
 */
export class ResponseReader {
  response?: ParsedResponse;
  /** The response is over: the connection's next bytes would not be part of it. */
  ended = false;
  /** Once ended: its end was certain, nothing followed it, and the server keeps the connection open. */
  reusable = false;
  /** Any byte at all arrived: a reused connection that closes before this was stale, and may be retried. */
  received = false;
  /**
   * The server sent, or said it would send, bytes beyond the response (a body after a HEAD, 1xx, 204 or 304
   * answer, more than its framing): a server whose other connections are not to be trusted with reuse either.
   */
  strayBytes = false;

  private pending: Buffer = EMPTY;
  private started = false;
  private head?: Head;
  private framing?: Framing;
  private chunk: ChunkState = 'size';
  private chunkRemaining = 0;
  private readonly bodyParts: Buffer[] = [];
  private bodyBytes = 0;
  /** Bytes of head (interim answers included) and trailers so far: together bounded by MAX_HEAD_BYTES. */
  private headBytes = 0;
  /** Something before the end was not framed with certainty: the connection must not carry another request. */
  private doubtful = false;

  constructor(private options: ResponseReaderOptions) {}

  push(data: Buffer): ParsedResponse | undefined {
    if (this.ended) {
      // Bytes after the end: the connection is not reused (the client closes it).
      if (data.length > 0) {
        this.reusable = false;
        this.strayBytes = true;
      }
      return this.response;
    }
    if (data.length > 0) this.received = true;
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    while (!this.ended) {
      if (!this.head) {
        if (!this.readHead()) break;
        continue;
      }
      if (!this.readBody()) break;
    }
    return this.response;
  }

  /** The connection closed: a response read "until close" ends here; anything else was cut short. */
  end(): ParsedResponse {
    if (this.ended) return this.response!;
    if (!this.received) throw new HttpResponseError('the connection closed before any response');
    if (this.head && this.framing?.kind === 'close') {
      this.finish(false);
      return this.response!;
    }
    // Handed over at its head: the check has its answer; only the connection is lost.
    if (this.response) {
      this.ended = true;
      this.reusable = false;
      return this.response;
    }
    throw new HttpResponseError('the connection closed before the response was complete');
  }

  /** Body bytes still to come, when the framing says (a length); undefined otherwise. */
  get remaining(): number | undefined {
    return this.framing?.kind === 'length' ? this.framing.remaining : this.framing?.kind === 'none' ? 0 : undefined;
  }

  private readHead(): boolean {
    if (!this.started && !this.skipToStatusLine()) return false;
    const end = headEnd(this.pending);
    if (end === undefined) {
      if (this.headBytes + this.pending.length > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers exceed ${MAX_HEAD_BYTES / 1024} KB`);
      return false;
    }
    this.headBytes += end.bodyStart;
    if (this.headBytes > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers exceed ${MAX_HEAD_BYTES / 1024} KB`);
    const text = this.pending.toString('latin1', 0, end.headLength);
    this.pending = this.pending.subarray(end.bodyStart);
    const head = parseHead(text, this.options.keepHeaders);
    const framing = framingOf(head, this.options.head);
    // Interim answers (103 Early Hints, a stray 100 Continue) come before the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) {
      if (framing.declaresBody) this.doubtful = true;
      this.started = false;
      return true;
    }
    if (framing.declaresBody && framing.framing.kind === 'none') this.doubtful = true;
    this.head = head;
    this.framing = framing.framing;
    if (this.options.settleAtHead) {
      this.response = this.answer(false);
      // Nothing of the body is kept; past the limit, the connection is cut instead of drained.
      this.options = {...this.options, keepBody: false};
      if (this.framing.kind === 'close') {
        this.ended = true;
        this.reusable = false;
      }
    }
    return true;
  }

  /**
   * Skips the CR and LF some servers send before the status line (as node:http and fetch do), then
   * makes sure the answer is HTTP at all: a server that says something else is refused at its first bytes,
   * not after the check's whole timeout.
   */
  private skipToStatusLine(): boolean {
    const pending = this.pending;
    // The usual answer: "HTTP/" at once, compared natively.
    if (pending.length >= HTTP_PREFIX.length && pending.compare(HTTP_PREFIX, 0, HTTP_PREFIX.length, 0, HTTP_PREFIX.length) === 0) {
      this.started = true;
      return true;
    }
    let at = 0;
    while (at < pending.length && (pending[at] === 13 || pending[at] === 10)) at++;
    if (at > 0) {
      this.headBytes += at;
      if (this.headBytes > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers exceed ${MAX_HEAD_BYTES / 1024} KB`);
      this.pending = pending.subarray(at);
    }
    const compared = Math.min(this.pending.length, HTTP_PREFIX.length);
    for (let i = 0; i < compared; i++) {
      if (this.pending[i] !== HTTP_PREFIX[i]) throw new NotHttpError(`not an HTTP server: it said ${quoteBytes(this.pending)}`);
    }
    if (compared < HTTP_PREFIX.length) return false;
    this.started = true;
    return true;
  }

  /** Consumes what it can of the body; true when the response is complete. */
  private readBody(): boolean {
    const framing = this.framing!;
    switch (framing.kind) {
      case 'none': {
        this.finish(this.pending.length === 0);
        return true;
      }
      case 'length': {
        framing.remaining -= this.consume(framing.remaining);
        if (this.overLimit()) return true;
        if (framing.remaining > 0) return false;
        this.finish(this.pending.length === 0);
        return true;
      }
      case 'close': {
        this.keep(this.pending);
        this.pending = EMPTY;
        this.overLimit();
        return this.ended;
      }
      case 'chunked': {
        return this.readChunks();
      }
    }
  }

  private readChunks(): boolean {
    for (;;) {
      if (this.chunk === 'data') {
        this.chunkRemaining -= this.consume(this.chunkRemaining);
        if (this.overLimit()) return true;
        if (this.chunkRemaining > 0) return false;
        this.chunk = 'data-end';
        continue;
      }
      const line = nextLine(this.pending, this.chunk === 'trailers' ? MAX_HEAD_BYTES : MAX_CHUNK_LINE_BYTES);
      if (line === undefined) {
        if (this.chunk === 'trailers' && this.headBytes + this.pending.length > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers and trailers exceed ${MAX_HEAD_BYTES / 1024} KB`);
        return false;
      }
      this.pending = this.pending.subarray(line.next);
      if (this.chunk === 'data-end') {
        if (line.text !== '') throw new HttpResponseError('a chunk of the response body does not end where its size says');
        this.chunk = 'size';
      } else if (this.chunk === 'size') {
        const size = chunkSize(line.text);
        if (size === 0) this.chunk = 'trailers';
        else {
          this.chunkRemaining = size;
          this.chunk = 'data';
        }
      } else {
        // Trailers count toward the header limit: an endless trailer section is refused, not waited for.
        this.headBytes += line.next;
        if (this.headBytes > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers and trailers exceed ${MAX_HEAD_BYTES / 1024} KB`);
        if (line.text === '') {
          this.finish(this.pending.length === 0);
          return true;
        }
        checkFieldLine(line.text, 'trailer');
      }
    }
  }

  /** Takes up to `wanted` bytes of what is pending into the body; how many it took. */
  private consume(wanted: number): number {
    const take = Math.min(wanted, this.pending.length);
    this.keep(this.pending.subarray(0, take));
    this.pending = this.pending.subarray(take);
    return take;
  }

  private keep(part: Buffer): void {
    if (part.length === 0) return;
    this.bodyBytes += part.length;
    if (this.options.keepBody) this.bodyParts.push(part);
  }

  /** A body past the limit: taken as it is, and the connection is not reused. */
  private overLimit(): boolean {
    if (this.bodyBytes < this.options.maxBodyBytes) return false;
    this.finish(false, true);
    return true;
  }

  private finish(nothingFollowed: boolean, truncated = false): void {
    const head = this.head!;
    this.ended = true;
    if (!nothingFollowed && !truncated && this.framing?.kind !== 'close') this.strayBytes = true;
    if (this.doubtful) this.strayBytes = true;
    this.reusable = nothingFollowed && !truncated && !this.doubtful && head.keepAlive && head.status !== 101;
    this.response ??= this.answer(truncated);
  }

  private answer(truncated: boolean): ParsedResponse {
    const head = this.head!;
    const body = this.bodyParts.length === 1 ? this.bodyParts[0] : Buffer.concat(this.bodyParts);
    return {status: head.status, statusMessage: head.statusMessage, headers: head.headers, body, truncated, elapsedMs: 0};
  }
}

interface Head {
  status: number;
  statusMessage: string;
  headers: Record<string, string>;
  keepAlive: boolean;
}

const EMPTY = Buffer.alloc(0);
const HTTP_PREFIX = Buffer.from('HTTP/');
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const LF_LF = Buffer.from('\n\n');

/** The first bytes of an answer, escaped and clipped, to say what a server that is not HTTP said. */
function quoteBytes(data: Buffer): string {
  const text = data.toString('latin1', 0, Math.min(data.length, 48));
  const quoted = JSON.stringify(text.length > 40 ? text.slice(0, 40) : text).slice(1, -1);
  return text.length > 40 ? `${quoted}…` : quoted;
}

/** Where the head ends: the first empty line (CRLF CRLF, or a bare LF LF from a lenient server). */
function headEnd(data: Buffer): {headLength: number; bodyStart: number} | undefined {
  const crlf = data.indexOf(CRLF_CRLF);
  const lf = data.indexOf(LF_LF);
  if (crlf === -1 && lf === -1) return undefined;
  if (lf !== -1 && (crlf === -1 || lf < crlf)) return {headLength: lf, bodyStart: lf + 2};
  return {headLength: crlf, bodyStart: crlf + 4};
}

/** HTTP/1.x (or the 0.9 llhttp accepts), a three-digit status, and a reason (possibly empty) after one space. */
const STATUS_LINE = /^HTTP\/(0\.9|1\.[01]) ([1-9]\d{2})(?: ([^]*))?$/;
/** A header's name, read from the start of its line: it must reach the colon. */
const HEADER_NAME = /[!#$%&'*+.^`|~\w-]+/y;
/** The headers the client itself needs, and their lengths (a quick test before a name is read). */
const NEEDED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'location', 'content-encoding']);
const NEEDED_LENGTHS = new Set([...NEEDED_HEADERS].map((name) => name.length));
/** A CR that does not end a line, or a NUL: a header that could be read two ways is refused, as node:http does. */
const FORBIDDEN_IN_FIELD = /[\r\0]/;
const FORBIDDEN_IN_HEAD = /\r(?!\n)|\0/;

function checkFieldLine(line: string, what: 'header' | 'trailer'): void {
  if (FORBIDDEN_IN_FIELD.test(line)) throw new HttpResponseError(`the response has a ${what} with a bare CR or a NUL in it (${JSON.stringify(line.slice(0, 40))})`);
}

function parseHead(text: string, allHeaders: boolean): Head {
  // Lines end in CRLF, or a bare LF; read by index, since a status of a thousand services reads a thousand heads.
  let start = 0;
  const nextLine = (): string | undefined => {
    if (start > text.length) return undefined;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    return line;
  };
  const first = nextLine() ?? '';
  const statusLine = STATUS_LINE.exec(first);
  if (!statusLine || FORBIDDEN_IN_FIELD.test(first)) throw new HttpResponseError(`the response's status line is not valid HTTP/1.1 (${JSON.stringify(first.slice(0, 40))})`);
  // One scan of the whole head, not one per line: most heads are clean.
  const unclean = FORBIDDEN_IN_HEAD.test(text);
  const headers: Record<string, string> = {};
  // The previous header's name, for a folded line: '' when it was not kept.
  let last: string | undefined;
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    if (unclean) checkFieldLine(line, 'header');
    // Obsolete line folding: a continuation of the previous header's value.
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      if (last !== '') headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    HEADER_NAME.lastIndex = 0;
    if (colon <= 0 || !HEADER_NAME.test(line) || HEADER_NAME.lastIndex !== colon) throw new HttpResponseError(`the response has a malformed header line (${JSON.stringify(line.slice(0, 40))})`);
    // Most checks look at the status alone: the other headers are checked, not read.
    const name = allHeaders || NEEDED_LENGTHS.has(colon) ? line.slice(0, colon).toLowerCase() : '';
    if (!allHeaders && !NEEDED_HEADERS.has(name)) {
      last = '';
      continue;
    }
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    last = name;
  }
  const connection = headers.connection?.toLowerCase() ?? '';
  const http11 = statusLine[1] === '1.1';
  const keepAlive = http11 ? !/(^|,)\s*close\s*(,|$)/.test(connection) : /(^|,)\s*keep-alive\s*(,|$)/.test(connection);
  return {status: Number(statusLine[2]), statusMessage: statusLine[3] ?? '', headers, keepAlive};
}

/**
 * How the body's end is found (RFC 9112, section 6.3), and whether the response declares a body at all: a
 * HEAD, 1xx, 204 or 304 answer that declares one (a Transfer-Encoding, a non-zero Content-Length) comes
 * from a server that may well send it, so its connection is never trusted with another request.
 */
function framingOf(head: Head, isHead: boolean): {framing: Framing; declaresBody: boolean} {
  const transfer = head.headers['transfer-encoding'];
  const length = head.headers['content-length'];
  // Both: the message could be read two ways (request smuggling); node:http and fetch refuse it too.
  if (transfer !== undefined && length !== undefined) throw new HttpResponseError('the response has both Transfer-Encoding and Content-Length');
  let declared: number | undefined;
  if (length !== undefined) {
    // The same length repeated ("5, 5") is one length; different ones are a broken response.
    const value = length.includes(',') ? sameLength(length) : length;
    if (value === undefined || !/^\d{1,15}$/.test(value)) throw new HttpResponseError(`the response has an invalid Content-Length (${JSON.stringify(length.slice(0, 40))})`);
    declared = Number(value);
  }
  const declaresBody = transfer !== undefined || (declared !== undefined && declared > 0);
  if (isHead || head.status === 204 || head.status === 304 || head.status < 200) return {framing: {kind: 'none'}, declaresBody};
  if (transfer !== undefined) {
    const codings = transfer.toLowerCase().split(',').map((coding) => coding.trim());
    return {framing: codings.at(-1) === 'chunked' ? {kind: 'chunked'} : {kind: 'close'}, declaresBody};
  }
  if (declared !== undefined) return {framing: declared === 0 ? {kind: 'none'} : {kind: 'length', remaining: declared}, declaresBody};
  return {framing: {kind: 'close'}, declaresBody};
}

function sameLength(list: string): string | undefined {
  const values = new Set(list.split(',').map((value) => value.trim()));
  return values.size === 1 ? [...values][0] : undefined;
}

function nextLine(data: Buffer, max: number): {text: string; next: number} | undefined {
  const lf = data.indexOf(10);
  if (lf === -1) {
    if (data.length > max) throw new HttpResponseError('a chunk header of the response body is too long');
    return undefined;
  }
  const end = lf > 0 && data[lf - 1] === 13 ? lf - 1 : lf;
  return {text: data.subarray(0, end).toString('latin1'), next: lf + 1};
}

/** A chunk's size line: hex digits, then extensions (";name" or ";name=value", a token or a quoted string). */
const CHUNK_SIZE = /^([\da-f]{1,12})(?:;[!#$%&'*+.^`|~\w-]+(?:=(?:[!#$%&'*+.^`|~\w-]+|"(?:[^"\\\r\n]|\\.)*"))?)*$/i;

function chunkSize(line: string): number {
  const size = CHUNK_SIZE.exec(line);
  if (!size || FORBIDDEN_IN_FIELD.test(line)) throw new HttpResponseError(`the response body has an invalid chunk size (${JSON.stringify(line.slice(0, 40))})`);
  return Number.parseInt(size[1], 16);
}
