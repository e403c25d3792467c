/**
 * An HTTP/1.1 response read from a connection's bytes, for checks. Pure: bytes in, a response (or an error)
 * out, so every framing rule is a table-driven test. It exists because node:http's request and response
 * objects, streams and agent cost about 0.25 ms of CPU a request in a cold process, most of a status of a
 * thousand services; a check needs the status line, the headers, a bounded body and to know where the
 * response ends (so the connection can serve the next check).
 */

export interface ParsedResponse {
  status: number;
  statusMessage: string;
  /** Lower-case names; repeated headers joined with ", ". Unless all were kept, only those of the framing. */
  headers: Record<string, string>;
  /** The body's first bytes (at most the limit), when it was wanted. */
  body: Buffer;
  /** The connection may carry another request: the response ended where its framing said, nothing followed. */
  reusable: boolean;
  /** From the request written to the response read, set by the client: the server's time. */
  elapsedMs: number;
}

export class HttpResponseError extends Error {}

/** Headers beyond this are a broken or hostile server, not a health check's answer. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;

type Framing = {kind: 'none'} | {kind: 'length'; remaining: number} | {kind: 'chunked'} | {kind: 'close'};
type ChunkState = 'size' | 'data' | 'data-end' | 'trailers';

export interface ResponseReaderOptions {
  /** HEAD: the response has no body, whatever its headers say. */
  head: boolean;
  /** Keep the body's bytes (else they are only counted, to find the response's end). */
  keepBody: boolean;
  /** Keep every header (else only those that frame the response: Content-Length, Transfer-Encoding, Connection). */
  keepHeaders: boolean;
  /** Past this many body bytes the response is taken as it is and the connection is not reused. */
  maxBodyBytes: number;
}

/**
 * Reads one response: `push` each chunk the connection gives, `end` when it closes. Both return the response
 * once it is complete, and throw HttpResponseError when the bytes are not a response.
 */
export class ResponseReader {
  private pending: Buffer = EMPTY;
  private head?: {status: number; statusMessage: string; headers: Record<string, string>; keepAlive: boolean};
  private framing?: Framing;
  private chunk: ChunkState = 'size';
  private chunkRemaining = 0;
  private readonly bodyParts: Buffer[] = [];
  private bodyBytes = 0;
  private done?: ParsedResponse;
  /** Any byte at all arrived: a reused connection that closes before this was stale, and may be retried. */
  received = false;

  constructor(private readonly options: ResponseReaderOptions) {}

  push(data: Buffer): ParsedResponse | undefined {
    if (this.done) return this.done;
    if (data.length > 0) this.received = true;
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    while (!this.done) {
      if (!this.head) {
        if (!this.readHead()) break;
        continue;
      }
      if (!this.readBody()) break;
    }
    return this.done;
  }

  /** The connection closed: a response read "until close" ends here; anything else was cut short. */
  end(): ParsedResponse {
    if (this.done) return this.done;
    if (!this.received) throw new HttpResponseError('the connection closed before any response');
    if (this.head && this.framing?.kind === 'close') return this.finish(false);
    throw new HttpResponseError('the connection closed before the response was complete');
  }

  private readHead(): boolean {
    const end = headEnd(this.pending);
    if (end === undefined) {
      if (this.pending.length > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers exceed ${MAX_HEAD_BYTES / 1024} KB`);
      return false;
    }
    if (end.headLength > MAX_HEAD_BYTES) throw new HttpResponseError(`the response headers exceed ${MAX_HEAD_BYTES / 1024} KB`);
    const text = this.pending.toString('latin1', 0, end.headLength);
    this.pending = this.pending.subarray(end.bodyStart);
    const head = parseHead(text, this.options.keepHeaders);
    // Interim answers (103 Early Hints, a stray 100 Continue) come before the real one.
    if (head.status >= 100 && head.status < 200 && head.status !== 101) return true;
    this.head = head;
    this.framing = framingOf(head, this.options.head);
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
        return Boolean(this.done);
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
      const line = nextLine(this.pending, MAX_CHUNK_LINE_BYTES);
      if (line === undefined) return false;
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
      } else if (line.text === '') {
        this.finish(this.pending.length === 0);
        return true;
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
    this.finish(false);
    return true;
  }

  private finish(reusable: boolean): ParsedResponse {
    const head = this.head!;
    const body = this.bodyParts.length === 1 ? this.bodyParts[0] : Buffer.concat(this.bodyParts);
    this.done = {status: head.status, statusMessage: head.statusMessage, headers: head.headers, body, reusable: reusable && head.keepAlive && head.status !== 101, elapsedMs: 0};
    return this.done;
  }
}

const EMPTY = Buffer.alloc(0);
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const LF_LF = Buffer.from('\n\n');

/** Where the head ends: the first empty line (CRLF CRLF, or a bare LF LF from a lenient server). */
function headEnd(data: Buffer): {headLength: number; bodyStart: number} | undefined {
  const crlf = data.indexOf(CRLF_CRLF);
  const lf = data.indexOf(LF_LF);
  if (crlf === -1 && lf === -1) return undefined;
  if (lf !== -1 && (crlf === -1 || lf < crlf)) return {headLength: lf, bodyStart: lf + 2};
  return {headLength: crlf, bodyStart: crlf + 4};
}

const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/;
/** A header's name, read from the start of its line: it must reach the colon. */
const HEADER_NAME = /[!#$%&'*+.^`|~\w-]+/y;
/** The headers the reader itself needs, and their lengths (a quick test before a name is read). */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);
const FRAMING_LENGTHS = new Set([...FRAMING_HEADERS].map((name) => name.length));

function parseHead(text: string, allHeaders: boolean): {status: number; statusMessage: string; headers: Record<string, string>; keepAlive: boolean} {
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
  const statusLine = STATUS_LINE.exec(first.trimEnd());
  if (!statusLine) throw new HttpResponseError(`the server did not answer in HTTP (it sent ${JSON.stringify(first.slice(0, 40))})`);
  const headers: Record<string, string> = {};
  // The previous header's name, for a folded line: '' when it was not kept.
  let last: string | undefined;
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    // Obsolete line folding: a continuation of the previous header's value.
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      if (last !== '') headers[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    HEADER_NAME.lastIndex = 0;
    if (colon <= 0 || !HEADER_NAME.test(line) || HEADER_NAME.lastIndex !== colon) throw new HttpResponseError(`the response has a malformed header line (${JSON.stringify(line.slice(0, 40))})`);
    // Most checks look at the status alone: the other headers are checked, not read.
    const name = allHeaders || FRAMING_LENGTHS.has(colon) ? line.slice(0, colon).toLowerCase() : '';
    if (!allHeaders && !FRAMING_HEADERS.has(name)) {
      last = '';
      continue;
    }
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    last = name;
  }
  const connection = headers.connection?.toLowerCase() ?? '';
  const http11 = statusLine[1] === '1' && statusLine[2] === '1';
  const keepAlive = http11 ? !/(^|,)\s*close\s*(,|$)/.test(connection) : /(^|,)\s*keep-alive\s*(,|$)/.test(connection);
  return {status: Number(statusLine[3]), statusMessage: statusLine[4] ?? '', headers, keepAlive};
}

/** How the body's end is found (RFC 9112, section 6.3). */
function framingOf(head: {status: number; headers: Record<string, string>}, isHead: boolean): Framing {
  if (isHead || head.status === 204 || head.status === 304 || head.status < 200) return {kind: 'none'};
  const transfer = head.headers['transfer-encoding'];
  if (transfer !== undefined) {
    const codings = transfer.toLowerCase().split(',').map((coding) => coding.trim());
    return codings.at(-1) === 'chunked' ? {kind: 'chunked'} : {kind: 'close'};
  }
  const length = head.headers['content-length'];
  if (length !== undefined) {
    // The same length repeated ("5, 5") is one length; different ones are a broken response.
    const value = length.includes(',') ? sameLength(length) : length;
    if (value === undefined || !/^\d{1,15}$/.test(value)) throw new HttpResponseError(`the response has an invalid Content-Length (${JSON.stringify(length.slice(0, 40))})`);
    return Number(value) === 0 ? {kind: 'none'} : {kind: 'length', remaining: Number(value)};
  }
  return {kind: 'close'};
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

function chunkSize(line: string): number {
  const size = line.split(';', 1)[0].trim();
  if (!/^[\da-f]{1,12}$/i.test(size)) throw new HttpResponseError(`the response body has an invalid chunk size (${JSON.stringify(line.slice(0, 40))})`);
  return Number.parseInt(size, 16);
}
