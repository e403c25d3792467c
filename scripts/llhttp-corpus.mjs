// Rebuilds test/fixtures/llhttp/responses.json from llhttp's response test cases (test/response/*.md of
// https://github.com/nodejs/llhttp, MIT): each case's bytes and llhttp's verdict on the first message (its
// status, its body bytes, whether it completed, and any error), which is what a health check acts on.
//
//   node scripts/llhttp-corpus.mjs PATH/TO/llhttp
//
// The input bytes are made from the markdown exactly as llhttp's own test runner (test/md-test.ts) makes
// them: lines end in CRLF, a trailing backslash joins lines, and \r \n \t \f \xNN and octal escapes.
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

const root = process.argv[2];
if (!root || !existsSync(join(root, 'test', 'response'))) {
  console.error('usage: node scripts/llhttp-corpus.mjs PATH/TO/llhttp (a checkout with test/response/*.md)');
  process.exit(2);
}

const target = new URL('../test/fixtures/llhttp/', import.meta.url);
mkdirSync(target, {recursive: true});

/** The bytes a case's http block stands for, as llhttp's runner makes them (latin1: one char per byte). */
function inputBytes(block) {
  let input = block.replace(/\n$/, '');
  input = input.replaceAll(/\\(\r\n|\r|\n)/g, '');
  input = input.replaceAll(/\r\n|\r|\n/g, '\r\n');
  input = input.replaceAll('\\r', '\r').replaceAll('\\n', '\n').replaceAll('\\t', '\t').replaceAll('\\f', '\f');
  input = input.replaceAll(/\\x([0-9a-fA-F]+)/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)));
  input = input.replaceAll(/\\([0-7]{1,3})/g, (_, digits) => String.fromCharCode(Number.parseInt(digits, 8)));
  if (/\$\{/.test(input)) throw new Error('inline JavaScript in an http block is not supported');
  // The markdown is UTF-8; the wire bytes are its UTF-8 encoding.
  return Buffer.from(input, 'utf8').toString('latin1');
}

/** A span's value in llhttp's log: lf, cr, or the bytes between quotes as they are (\t and \f written as escapes). */
function spanValue(text) {
  if (text === 'lf') return '\n';
  if (text === 'cr') return '\r';
  if (!text.startsWith('"') || !text.endsWith('"')) throw new Error(`unexpected span value ${text}`);
  return text.slice(1, -1).replaceAll('\\t', '\t').replaceAll('\\f', '\f');
}

const F_CHUNKED = 0x8;
const F_CONTENT_LENGTH = 0x20;

/**
 * llhttp's verdict on the first final message of a case, from its expected log: interim answers (1xx but
 * 101) come before the one a client acts on, as node:http's client skips them.
 */
function verdict(log) {
  const fresh = () => ({status: undefined, body: '', complete: false, framed: false, error: undefined, upgrade: false});
  let first = fresh();
  let messages = 0;
  for (const line of log.split('\n')) {
    const event = /^off=\S+ (.*)$/.exec(line.trim())?.[1];
    if (!event) continue;
    if (event === 'message begin') {
      messages++;
      continue;
    }
    if (messages > 1) break;
    const headers = /^headers complete status=(\d+) v=\S+ flags=([0-9a-f]+) content_length=(\d+)/.exec(event);
    if (headers) {
      first.status = Number(headers[1]);
      const flags = Number.parseInt(headers[2], 16);
      first.framed = (flags & (F_CHUNKED | F_CONTENT_LENGTH)) !== 0;
      continue;
    }
    const body = /^len=(\d+) span\[body\]=(.*)$/.exec(event);
    if (body) {
      const value = spanValue(body[2]);
      if (value.length !== Number(body[1])) throw new Error(`span length ${body[1]} does not match ${JSON.stringify(value)}`);
      first.body += value;
      continue;
    }
    if (event === 'message complete') {
      if (first.status >= 100 && first.status < 200 && first.status !== 101) {
        first = fresh();
        messages--;
        continue;
      }
      first.complete = true;
      continue;
    }
    const error = /^error code=(\d+) reason="(.*)"$/.exec(event);
    if (error) {
      // 22: paused on an upgrade (a 101, or CONNECT): the message itself was read whole.
      if (error[1] === '22') first.upgrade = true;
      else if (!first.complete) first.error = error[2];
      break;
    }
  }
  return first;
}

const cases = [];
for (const file of readdirSync(join(root, 'test', 'response')).filter((name) => name.endsWith('.md')).sort()) {
  const lines = readFileSync(join(root, 'test', 'response', file), 'utf8').split('\n');
  let name = '';
  let nameLine = 0;
  let meta;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const heading = /^#{2,6} (.*)$/.exec(line);
    if (heading) {
      name = heading[1].trim();
      nameLine = index + 1;
      meta = undefined;
      continue;
    }
    const metaLine = /^<!-- meta=(.*) -->$/.exec(line.trim());
    if (metaLine) {
      meta = JSON.parse(metaLine[1]);
      continue;
    }
    if (line.trim() !== '```http') continue;
    const end = lines.indexOf('```', index + 1);
    const http = lines.slice(index + 1, end).join('\n') + '\n';
    const logStart = lines.indexOf('```log', end);
    const logEnd = lines.indexOf('```', logStart + 1);
    const log = lines.slice(logStart + 1, logEnd).join('\n');
    index = logEnd;
    cases.push({
      file,
      line: nameLine,
      name,
      type: meta?.type ?? 'response',
      // A HEAD-like answer: llhttp was told to skip the body.
      skipBody: meta?.skipBody === true,
      input: inputBytes(http),
      llhttp: verdict(log),
    });
  }
}

const license = ['LICENSE-MIT', 'LICENSE'].map((name) => join(root, name)).find((path) => existsSync(path));
if (license) copyFileSync(license, new URL('LICENSE', target));
writeFileSync(
  new URL('responses.json', target),
  JSON.stringify(
    {
      source: 'https://github.com/nodejs/llhttp test/response/*.md (MIT, see LICENSE beside this file)',
      note: 'input: the bytes (latin1); llhttp: its verdict on the first message. Rebuilt by scripts/llhttp-corpus.mjs.',
      cases,
    },
    null,
    1,
  ) + '\n',
);
console.error(`wrote ${cases.length} cases into test/fixtures/llhttp/responses.json`);
