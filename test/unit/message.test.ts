import assert from 'node:assert/strict';
import type {ServiceStatus} from '../../src/core/checks/types.js';
import type {Entry} from '../../src/core/entry/types.js';
import {digestCapacity, digestMessage, outputMessage, rootMessage, type SlackMessage} from '../../src/core/mirror/message.js';
import {DIGEST_PAYLOAD_LIMIT, ENTRY_PAYLOAD_LIMIT, entriesFromDigest, entryFromPayload, entryPayload} from '../../src/core/mirror/payload.js';
import {escapeClipped, escapeTail, safeLinkUrl} from '../../src/core/mirror/slack-text.js';
import {recoveryMessage, reminderMessage} from '../../src/core/mirror/incident-message.js';
import {statusEntry} from '../support/backlog.js';

const hostile = '<!channel> & <@U0BOSS> <https://evil.test|docs> ';

function services(count: number, down: number, detail = 'connection refused'): ServiceStatus[] {
  return Array.from({length: count}, (_, i) => ({
    service: `service-${String(i).padStart(4, '0')}`,
    ok: i >= down,
    latencyMs: 12,
    checks: [{name: 'site', type: 'http' as const, ok: i >= down, latencyMs: 12, detail: i >= down ? '200 OK' : detail}],
  }));
}

function statusOf(count: number, down: number, detail?: string): Entry {
  const status = services(count, down, detail);
  return statusEntry(Date.now(), '#ops', {
    services: status.map((s) => s.service),
    status,
    statusCounts: {total: count, up: count - down, down},
    outcome: down > 0 ? 'failed' : 'succeeded',
    summary: down > 0 ? `${down} of ${count} services down` : `all ${count} services are up`,
  });
}

/** What Slack checks of a message, as its documentation and its errors tell. */
function assertSlackAccepts(message: Pick<SlackMessage, 'text' | 'blocks'> & Partial<Pick<SlackMessage, 'metadata'>>, metadataLimit: number, allowedMentions: string[] = []): void {
  assert.ok(message.blocks.length <= 50, `${message.blocks.length} blocks`);
  assert.ok(JSON.stringify(message.blocks).length <= 12_000, `blocks of ${JSON.stringify(message.blocks).length} characters`);
  assert.ok(message.text.length > 0 && message.text.length <= 4000, `text of ${message.text.length}`);
  for (const block of message.blocks as {type: string; text?: {text: string}; elements?: {text: string}[]}[]) {
    if (block.type === 'section') assert.ok(block.text!.text.length >= 1 && block.text!.text.length <= 3000, `section of ${block.text!.text.length}`);
    if (block.type === 'context') {
      assert.ok(block.elements!.length <= 10);
      for (const element of block.elements!) assert.ok(element.text.length <= 3000);
    }
  }
  if (message.metadata) {
    assert.match(message.metadata.event_type, /^[A-Za-z0-9_-]+$/);
    assert.ok(JSON.stringify(message.metadata).length <= metadataLimit + 100, `metadata of ${JSON.stringify(message.metadata).length}`);
    const flat = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x));
    for (const [key, value] of Object.entries(message.metadata.event_payload)) {
      assert.ok(['string', 'number', 'boolean'].includes(typeof value) || flat(value) || (Array.isArray(value) && value.every(flat)), `metadata ${key} is not of Slack's shape`);
    }
  }
  const rendered = [message.text, ...JSON.stringify(message.blocks).matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].join('\n');
  const markup = [...rendered.matchAll(/<(?![^>]*\|[^>]* job>)[^>\n]*>/g)].map((m) => m[0]);
  assert.deepEqual(markup.filter((m) => !allowedMentions.includes(m)), [], 'unescaped markup');
}

describe('messages fit what Slack accepts', () => {
  const long = 'x'.repeat(50_000);
  const cases: [string, Entry][] = [
    ['one service up', statusOf(1, 0)],
    ['one service down', statusOf(1, 1)],
    ['30 services, 3 down', statusOf(30, 3)],
    ['1,000 services, 300 down with long details', statusOf(1000, 300, hostile.repeat(40))],
    ['1,000 services all up', statusOf(1000, 0)],
    ['hostile everything', statusEntry(Date.now(), '#ops', {verb: 'deploy', args: {ref: hostile.repeat(10)}, reason: hostile.repeat(100), summary: hostile.repeat(100), who: {user: hostile, host: hostile}, where: {kind: 'ci', cwd: long, ci: {name: hostile, url: 'javascript:alert(1)'}, repository: hostile, commit: hostile}})],
    ['50,000-character texts', statusEntry(Date.now(), '#ops', {verb: 'restart', reason: long, summary: long, commandLine: long, command: long, catalog: long})],
  ];
  for (const [name, entry] of cases) {
    it(`the root message: ${name}`, () => {
      const message = rootMessage(entry);
      assertSlackAccepts(message, ENTRY_PAYLOAD_LIMIT);
      const back = entryFromPayload(message.metadata.event_payload)!;
      assert.equal(back.id, entry.id);
      assert.equal(back.outcome, entry.outcome);
      assert.equal(back.verb, entry.verb);
    });
  }

  it('a status of many services names the failing ones first and counts the rest', () => {
    const message = rootMessage(statusOf(1000, 300));
    const text = JSON.stringify(message.blocks);
    assert.match(text, /\(300 of 1,000 down\)/);
    assert.match(text, /service-0000/);
    assert.doesNotMatch(text, /service-0999/);
    assert.match(text, /and 275 more services down/);
    assert.match(text, /and 700 more services up/);
    assert.deepEqual(message.metadata.event_payload.statusCounts, {total: 1000, up: 700, down: 300});
  });

  it('the output tail is clipped before escaping, so its code block always closes', () => {
    for (const output of ['&'.repeat(10_000), '<'.repeat(3000) + 'end', 'line\n'.repeat(5000), '```'.repeat(2000), 'ok']) {
      const message = outputMessage(statusEntry(Date.now(), '#ops'), output, true);
      assertSlackAccepts(message, ENTRY_PAYLOAD_LIMIT);
      const code = (message.blocks[1] as {text: {text: string}}).text.text;
      assert.ok(code.startsWith('```') && code.endsWith('```'), code.slice(-20));
      assert.doesNotMatch(code.slice(3, -3), /```|&(?!amp;|lt;|gt;)/);
    }
  });

  it('a digest carries as many entries as its metadata bound allows, each readable back', () => {
    const entries = Array.from({length: 40}, (_, i) => statusEntry(Date.now() + i, '#ops', {summary: hostile.repeat(10), reason: hostile.repeat(10), who: {user: hostile, host: 'h'}}));
    const take = digestCapacity(entries);
    assert.ok(take >= 5 && take <= 25, `capacity ${take}`);
    const message = digestMessage('d1', entries.slice(0, take));
    assertSlackAccepts(message, DIGEST_PAYLOAD_LIMIT);
    const back = entriesFromDigest(message.metadata.event_payload)!;
    assert.deepEqual(back.entries.map((e) => e.id), entries.slice(0, take).map((e) => e.id));
    assert.equal(back.malformed, 0);
  });
});

describe('incident messages fit what Slack accepts, and mention only whom the catalog names, only at first', () => {
  const mentions = ['<@U0ONCALL1>', '<!subteam^S0SRE0001>'];
  const incident = (fields: Partial<Entry>): Entry =>
    statusEntry(Date.now(), '#ops', {verb: 'incident', services: ['web'], outcome: 'running', status: services(1, 1, hostile.repeat(40)), summary: hostile.repeat(100), who: {user: hostile, host: hostile}, incident: {state: 'down'}, mention: ['U0ONCALL1', 'S0SRE0001', '<!channel>', 'here'], ...fields});
  const cases: [string, Entry, boolean][] = [
    ['open, with hostile check details', incident({}), true],
    ['flapping', incident({incident: {state: 'flapping', changes: 7}}), true],
    ['resolved', incident({outcome: 'resolved', endedAt: new Date().toISOString(), durationMs: 372_000}), false],
  ];
  for (const [name, entry, mentioning] of cases) {
    it(`the root message: ${name}`, () => {
      const message = rootMessage(entry);
      assertSlackAccepts(message, ENTRY_PAYLOAD_LIMIT, mentions);
      const blocks = JSON.stringify(message.blocks);
      for (const mention of mentions) assert.equal(blocks.includes(mention), mentioning, mention);
      assert.doesNotMatch(message.text, /<[@!]/, 'the notification text mentions nobody');
      const back = entryFromPayload(message.metadata.event_payload)!;
      assert.deepEqual([back.verb, back.outcome, back.incident?.state], ['incident', entry.outcome, entry.incident?.state]);
    });
  }

  it('the recovery and the reminders, in the thread, mention nobody', () => {
    const resolved = incident({outcome: 'resolved', endedAt: new Date().toISOString(), durationMs: 372_000});
    const recovery = recoveryMessage(resolved);
    assertSlackAccepts(recovery, ENTRY_PAYLOAD_LIMIT);
    assert.match(recovery.text, /web is up again after 6m12s/);
    const reminder = reminderMessage(incident({startedAt: new Date(Date.now() - 1_800_000).toISOString()}), new Date());
    assertSlackAccepts(reminder, ENTRY_PAYLOAD_LIMIT);
    assert.match(reminder.text, /web is still down, for 30m00s now/);
  });

  it('a resolved incident says how long it was down', () => {
    const message = rootMessage(incident({outcome: 'resolved', startedAt: '2026-11-25T14:02:00.000Z', endedAt: '2026-11-25T14:08:12.000Z', durationMs: 372_000}));
    assert.match(JSON.stringify(message.blocks), /\*web\* is \*up\* again: down 6m12s, from 2026-11-25 14:02 UTC to 2026-11-25 14:08 UTC/);
  });
});

describe('reading payloads back', () => {
  const good = entryPayload(statusEntry(Date.now(), '#ops'));
  const cases: [string, unknown, boolean][] = [
    ['the compact payload', good, true],
    ['a full entry, as earlier versions posted', statusEntry(Date.now(), '#ops'), true],
    ['null', null, false],
    ['a list', [good], false],
    ['no id', {...good, id: undefined}, false],
    ['an id with spaces', {...good, id: 'a b'}, false],
    ['an unknown verb', {...good, verb: 'format-disk'}, false],
    ['an unknown outcome', {...good, outcome: 'great'}, false],
    ['services of the wrong type', {...good, services: 42}, false],
    ['no start time', {...good, startedAt: 'yesterday'}, false],
    ['no user', {...good, who: {host: 'h'}}, false],
  ];
  for (const [name, payload, accepted] of cases) {
    it(`${accepted ? 'accepts' : 'rejects'} ${name}`, () => assert.equal(entryFromPayload(payload) !== undefined, accepted));
  }
});

describe('slack text', () => {
  const cases: [string, string, number, string][] = [
    ['short text is only escaped', 'a < b & c', 100, 'a &lt; b &amp; c'],
    ['clipped before escaping', '&&&&&&&&&&', 12, '&amp;&amp;…'],
    ['never cuts an escape sequence', '<<<<', 8, '&lt;…'],
    ['keeps surrogate pairs whole', '😀😀😀', 4, '😀…'],
  ];
  for (const [name, text, limit, expected] of cases) {
    it(name, () => {
      const clipped = escapeClipped(text, limit);
      assert.equal(clipped, expected);
      assert.ok(clipped.length <= limit);
    });
  }
  it('escapeTail keeps the end', () => assert.equal(escapeTail('abc<def', 8), '…&lt;def'));

  const urls: [string, string | undefined][] = [
    ['https://github.com/a/b/actions/runs/1', 'https://github.com/a/b/actions/runs/1'],
    ['http://ci.local:8080/job/7', 'http://ci.local:8080/job/7'],
    ['javascript:alert(1)', undefined],
    ['https://ci.test|<!channel>', undefined],
    ['https://user:pass@ci.test/', undefined],
    ['https://ci.test/a b', undefined],
    ['not a url', undefined],
  ];
  for (const [url, expected] of urls) it(`link ${JSON.stringify(url)}`, () => assert.equal(safeLinkUrl(url), expected));
});
