import type {IncomingMessage} from 'node:http';
import {builtins} from '../builtins.js';
import type {HttpCheck} from '../catalog/types.js';
import type {ProbeOutcome} from './types.js';

/** Bodies are read only this far: enough to find the expected text, bounded against huge pages. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function probeHttp(check: HttpCheck, signal: AbortSignal): Promise<ProbeOutcome> {
  // node:http, not fetch: fetch loads undici, which costs more than a loopback check.
  const request = builtins.requestFor(check.url);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(check.url, {method: check.method, headers: check.headers, signal, rejectUnauthorized: !check.insecure, agent: builtins.checkAgent(check.url)}, resolve);
    req.on('error', reject);
    req.end();
  });

  const status = response.statusCode ?? 0;
  const statusText = `${status} ${response.statusMessage ?? ''}`.trim();
  const body = await readBody(response, needsBody(check));

  const expectedStatus = check.expect.status;
  if (expectedStatus ? !expectedStatus.includes(status) : status < 200 || status >= 400) {
    return {ok: false, detail: `status ${statusText}, expected ${expectedStatus ? expectedStatus.join(' or ') : '2xx or 3xx'}`};
  }
  for (const [name, value] of Object.entries(check.expect.headers ?? {})) {
    const actual = response.headers[name.toLowerCase()];
    const text = Array.isArray(actual) ? actual.join(', ') : (actual ?? '');
    if (!text.includes(value)) return {ok: false, detail: `header ${name} is ${actual === undefined ? 'missing' : JSON.stringify(text)}, expected ${JSON.stringify(value)}`};
  }
  if (check.expect.body !== undefined && !body.includes(check.expect.body)) {
    return {ok: false, detail: `${statusText}, but the body does not contain ${JSON.stringify(check.expect.body)}`};
  }
  if (check.expect.bodyPattern !== undefined && !new RegExp(check.expect.bodyPattern).test(body)) {
    return {ok: false, detail: `${statusText}, but the body does not match /${check.expect.bodyPattern}/`};
  }
  return {ok: true, detail: statusText};
}

function needsBody(check: HttpCheck): boolean {
  return check.expect.body !== undefined || check.expect.bodyPattern !== undefined;
}

async function readBody(response: IncomingMessage, wanted: boolean): Promise<string> {
  if (!wanted) {
    response.resume();
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= MAX_BODY_BYTES) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
