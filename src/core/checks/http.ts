import type {HttpCheck} from '../catalog/types.js';
import {prepareRequest, sendRequest, type PreparedRequest} from './http-client.js';
import type {Cancellation} from './deadline.js';
import type {ParsedResponse} from './http-response.js';
import type {ProbeOutcome, Settle} from './types.js';

/** Bodies are read only this far: enough to find the expected text, bounded against huge pages. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Sends the check's request and judges the answer; `settle` hears the outcome, or why there is none. */
export function probeHttp(check: HttpCheck, deadline: Cancellation, settle: Settle): void {
  sendRequest(prepared(check), deadline, (error, response) => {
    if (response === undefined) return settle(error);
    let outcome: ProbeOutcome;
    try {
      outcome = judge(check, response);
    } catch (judging) {
      return settle(judging);
    }
    settle(undefined, outcome);
  });
}

function judge(check: HttpCheck, response: ParsedResponse): ProbeOutcome {
  const latencyMs = response.elapsedMs;
  const status = response.status;
  const statusText = `${status} ${response.statusMessage}`.trim();

  const expectedStatus = check.expect.status;
  if (expectedStatus ? !expectedStatus.includes(status) : status < 200 || status >= 400) {
    return {ok: false, detail: `status ${statusText}, expected ${expectedStatus ? expectedStatus.join(' or ') : '2xx or 3xx'}`, latencyMs};
  }
  if (check.expect.headers) for (const [name, value] of Object.entries(check.expect.headers)) {
    const actual = response.headers[name.toLowerCase()];
    const text = actual ?? '';
    if (!text.includes(value)) return {ok: false, detail: `header ${name} is ${actual === undefined ? 'missing' : JSON.stringify(text)}, expected ${JSON.stringify(value)}`, latencyMs};
  }
  // Decoded only when judged: most checks look at the status alone.
  const body = check.expect.body !== undefined || check.expect.bodyPattern !== undefined ? response.body.toString('utf8') : '';
  if (check.expect.body !== undefined && !body.includes(check.expect.body)) {
    return {ok: false, detail: `${statusText}, but the body does not contain ${JSON.stringify(check.expect.body)}`, latencyMs};
  }
  if (check.expect.bodyPattern !== undefined && !new RegExp(check.expect.bodyPattern).test(body)) {
    return {ok: false, detail: `${statusText}, but the body does not match /${check.expect.bodyPattern}/`, latencyMs};
  }
  return {ok: true, detail: statusText, latencyMs};
}

/** Each check's request is made ready once: a watcher sends the same ones round after round. */
const requests = new WeakMap<HttpCheck, PreparedRequest>();

function prepared(check: HttpCheck): PreparedRequest {
  let request = requests.get(check);
  if (!request) {
    request = prepareRequest({url: check.url, method: check.method, headers: check.headers, insecure: check.insecure, keepBody: needsBody(check), keepHeaders: check.expect.headers !== undefined, maxBodyBytes: MAX_BODY_BYTES});
    requests.set(check, request);
  }
  return request;
}

function needsBody(check: HttpCheck): boolean {
  return check.expect.body !== undefined || check.expect.bodyPattern !== undefined;
}
