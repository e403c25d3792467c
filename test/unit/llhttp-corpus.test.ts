import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {ResponseReader} from '../../src/core/checks/http-response.js';

/**
 * llhttp's response test cases (node:http's parser; test/fixtures/llhttp/, rebuilt by
 * scripts/llhttp-corpus.mjs) run against the check's response reader. What a health check acts on must
 * agree: whether the answer is an error, its status, and its body. Each case where foggy decides otherwise
 * on purpose is listed below with the reason; a listed case that stops differing fails too, so the list
 * stays true.
 */

interface Case {
  file: string;
  line: number;
  name: string;
  type: string;
  skipBody: boolean;
  input: string;
  llhttp: {status?: number; body: string; complete: boolean; framed: boolean; error?: string; upgrade: boolean};
}

const {cases} = JSON.parse(readFileSync(new URL('../fixtures/llhttp/responses.json', import.meta.url), 'utf8')) as {cases: Case[]};

const DIFFERENCES: Record<string, string> = {
  'Only LFs present and no body': 'bare LF line ends are accepted, as curl and llhttp\'s lenient mode do: an embedded device that ends its lines so is not down',
  'Only LFs present': 'bare LF line ends are accepted (see above)',
  'No carriage ret': 'bare LF line ends are accepted (see above)',
  'RTSP response': 'an http check expects HTTP: an RTSP server on the port is not the web service it checks',
  'ICE response': 'an http check expects HTTP: an ICE server on the port is not the web service it checks',
};

type Verdict = {error: true} | {error: false; status: number; body: string};

/** What llhttp decided, as a check sees it: an error, or a status and a body (a close-delimited body ends at EOF). */
function llhttpVerdict(c: Case): Verdict {
  const {llhttp} = c;
  if (llhttp.error !== undefined || llhttp.status === undefined) return {error: true};
  // Framed by a length or chunks and not complete: at EOF, llhttp (and foggy) call it cut short.
  if (!llhttp.complete && llhttp.framed && !llhttp.upgrade) return {error: true};
  return {error: false, status: llhttp.status, body: llhttp.body};
}

/** The reader fed the bytes in the given pieces, then the connection's end (a case's input is all there is). */
function ours(c: Case, pieces: Buffer[]): Verdict {
  const reader = new ResponseReader({head: c.skipBody, keepBody: true, keepHeaders: true, maxBodyBytes: 1024 * 1024});
  try {
    for (const piece of pieces) reader.push(piece);
    const response = reader.ended ? reader.response! : reader.end();
    return {error: false, status: response.status, body: response.body.toString('latin1')};
  } catch {
    return {error: true};
  }
}

describe("llhttp's response cases against the check's response reader", () => {
  const compared = cases.filter((c) => c.type === 'response' || c.type === 'response-finish');

  it('the corpus is there, and most of it is compared', () => {
    assert.ok(cases.length >= 80, `${cases.length} cases`);
    // The rest are llhttp's lenient modes, which node:http does not turn on.
    assert.ok(compared.length >= 75, `${compared.length} compared`);
    for (const name of Object.keys(DIFFERENCES)) assert.ok(compared.some((c) => c.name === name), `listed difference "${name}" is not in the corpus`);
  });

  for (const c of compared) {
    const reason = DIFFERENCES[c.name];
    it(`${c.file}:${c.line} ${c.name}${reason ? ' (differs on purpose)' : ''}`, () => {
      const bytes = Buffer.from(c.input, 'latin1');
      const expected = llhttpVerdict(c);
      // Whole, and cut in two at every byte: the verdict must not depend on how the network splits it.
      const splits = [[bytes], ...Array.from({length: Math.max(0, bytes.length - 1)}, (_, at) => [bytes.subarray(0, at + 1), bytes.subarray(at + 1)])];
      for (const pieces of splits) {
        const got = ours(c, pieces);
        if (reason) assert.notDeepEqual(got, expected, `listed as a difference (${reason}), but foggy now agrees with llhttp`);
        else assert.deepEqual(got, expected, `split at ${pieces[0].length}`);
      }
    });
  }
});
