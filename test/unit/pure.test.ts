import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {complete, type CompletableCommand} from '../../src/cli/completion.js';
import {entryFilter} from '../../src/core/app/log.js';
import type {Catalog, Service} from '../../src/core/catalog/types.js';
import {connectHintDue} from '../../src/core/run/connect-hint.js';
import {formatCount} from '../../src/core/text/count.js';
import {Journal, type DeliveryStep} from '../../src/core/journal/journal.js';
import {whereAmI, whoAmI} from '../../src/core/entry/context.js';
import type {Entry} from '../../src/core/entry/types.js';
import {refusedForGood} from '../../src/core/mirror/flush.js';
import {chooseChannel} from '../../src/core/slack/channel-choice.js';
import {multipartFile} from '../../src/core/slack/api.js';
import {classify, SlackFailure} from '../../src/core/slack/failure.js';

/** Table-driven tests of the pure decisions every front end relies on. */
describe('pure decisions', () => {
  describe('failure classification (what a Slack error means for the entry)', () => {
    const platform = (error: string) => ({code: 'slack_webapi_platform_error', data: {error}});
    const request = (cause: string, name = 'Error') => ({code: 'slack_webapi_request_error', original: Object.assign(new Error('x'), {name, cause: {code: cause}})});
    const cases: [string, unknown, boolean, SlackFailure['kind'], string, boolean][] = [
      // what, error, aborted, kind, code, set aside for good
      ['archived channel', platform('is_archived'), false, 'permanent', 'is_archived', true],
      ['unknown channel', platform('channel_not_found'), false, 'permanent', 'channel_not_found', true],
      ['blocks too long', platform('msg_blocks_too_long'), false, 'permanent', 'msg_blocks_too_long', true],
      ['revoked token', platform('token_revoked'), false, 'permanent', 'token_revoked', false],
      ['bad token', platform('invalid_auth'), false, 'permanent', 'invalid_auth', false],
      ['missing scope', platform('missing_scope'), false, 'permanent', 'missing_scope', false],
      ['fatal_error may have stored it', platform('fatal_error'), false, 'ambiguous', 'fatal_error', false],
      ['service unavailable', platform('service_unavailable'), false, 'retryable', 'service_unavailable', false],
      ['rate limited', {code: 'slack_webapi_rate_limited_error', retryAfter: 3}, false, 'rate_limited', 'rate limited', false],
      ['HTTP 503', {code: 'slack_webapi_http_error', statusCode: 503}, false, 'ambiguous', 'HTTP 503', false],
      ['HTTP 404', {code: 'slack_webapi_http_error', statusCode: 404}, false, 'permanent', 'HTTP 404', true],
      ['connection refused', request('ECONNREFUSED'), false, 'retryable', 'connection refused', false],
      ['host not found', request('ENOTFOUND'), false, 'retryable', 'host not found', false],
      ['connection reset mid-request', request('ECONNRESET'), false, 'ambiguous', 'connection reset', false],
      ['our deadline passed', request('ECONNRESET', 'AbortError'), true, 'ambiguous', 'no answer in time', false],
      ['anything else', new Error('boom'), false, 'ambiguous', 'boom', false],
    ];
    for (const [what, error, aborted, kind, code, setAside] of cases) {
      it(`${what}: ${kind} (${code})${setAside ? ', set aside' : ''}`, () => {
        const failure = classify(error, aborted);
        assert.equal(failure.kind, kind);
        assert.equal(failure.code, code);
        assert.equal(refusedForGood(failure), setAside);
      });
    }
    it('rate limits carry Retry-After in milliseconds', () => assert.equal(classify({code: 'slack_webapi_rate_limited_error', retryAfter: 3}, false).retryAfterMs, 3000));
  });

  describe('channel choice (the same for a verb, log and doctor)', () => {
    const service = (name: string, channel?: string) => ({name, channel}) as Service;
    const catalog = {channel: '#catalog'} as Catalog;
    const cases: [string, Parameters<typeof chooseChannel>[0], string | undefined][] = [
      ['--channel wins', {flag: '#flag', env: {FOGGY_CHANNEL: '#env'}, services: [service('web', '#web')], catalog, loginDefault: '#login'}, '#flag'],
      ['then FOGGY_CHANNEL', {env: {FOGGY_CHANNEL: '#env'}, services: [service('web', '#web')], catalog, loginDefault: '#login'}, '#env'],
      ["then the service's own", {env: {}, services: [service('web', '#web')], catalog, loginDefault: '#login'}, '#web'],
      ['services sharing one channel', {env: {}, services: [service('web', '#web'), service('api', '#web')], catalog}, '#web'],
      ['services with different channels: the catalog', {env: {}, services: [service('web', '#web'), service('db', '#db')], catalog}, '#catalog'],
      ['a service without one: the catalog', {env: {}, services: [service('web')], catalog, loginDefault: '#login'}, '#catalog'],
      ['no catalog: the login default', {env: {}, loginDefault: '#login'}, '#login'],
      ['nothing set', {env: {}}, undefined],
      ['an empty FOGGY_CHANNEL is no channel', {env: {FOGGY_CHANNEL: ''}, loginDefault: '#login'}, '#login'],
    ];
    for (const [what, options, expected] of cases) it(what, () => assert.equal(chooseChannel(options), expected));
  });

  describe('who ran it, and what CI builds', () => {
    const cases: [string, NodeJS.ProcessEnv, string | undefined, Partial<Record<'actor' | 'slackUser' | 'commit' | 'branch' | 'ci', string>>][] = [
      ['GitHub Actions', {CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_SHA: 'abc123', GITHUB_REF_NAME: 'main', USER: 'runner'}, 'U0ALICE01', {actor: 'octocat', commit: 'abc123', branch: 'main', ci: 'GitHub Actions'}],
      ['a pull request builds its head branch', {CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_HEAD_REF: 'fix-login', GITHUB_REF_NAME: '42/merge', USER: 'runner'}, undefined, {actor: 'octocat', branch: 'fix-login'}],
      ['GitLab CI', {CI: 'true', GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'alice', CI_COMMIT_SHA: 'def456', CI_COMMIT_REF_NAME: 'release', USER: 'gitlab-runner'}, undefined, {actor: 'alice', commit: 'def456', branch: 'release', ci: 'GitLab CI'}],
      ['Jenkins branch names lose origin/', {CI: 'true', GIT_COMMIT: 'fff', GIT_BRANCH: 'origin/main', USER: 'jenkins'}, undefined, {commit: 'fff', branch: 'main'}],
      ['a shell: the Slack user saved by login', {USER: 'alice'}, 'U0ALICE01', {slackUser: 'U0ALICE01'}],
      ['a shell without login: no identity', {USER: 'alice'}, undefined, {}],
    ];
    for (const [what, env, slackUser, expected] of cases) {
      it(what, () => {
        const who = whoAmI(env, slackUser);
        const where = whereAmI(tmpdir(), env);
        assert.equal(who.actor, expected.actor);
        assert.equal(who.slackUser, expected.slackUser);
        if (expected.commit) assert.equal(where.commit, expected.commit);
        if (expected.branch) assert.equal(where.branch, expected.branch);
        if (expected.ci) assert.equal(where.ci?.name, expected.ci);
        assert.equal(where.kind, env.CI ? 'ci' : 'terminal');
      });
    }
  });

  describe('log filters', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const entry = (fields: Partial<Entry>): Entry => ({id: 'e1', verb: 'deploy', services: ['web'], args: {}, commandLine: '', who: {user: 'alice', host: 'box'}, where: {kind: 'terminal', cwd: '/'}, catalog: '', pid: 1, startedAt: '2026-06-01T11:00:00Z', outcome: 'succeeded', ...fields});
    const cases: [string, Parameters<typeof entryFilter>[0], Partial<Entry>, boolean][] = [
      ['no filter', {}, {}, true],
      ['service', {service: 'db'}, {}, false],
      ['verb matches', {verb: 'deploy'}, {}, true],
      ['verb differs', {verb: 'restart'}, {}, false],
      ['outcome is judged on the finished entry', {outcome: 'failed'}, {outcome: 'failed'}, true],
      ['outcome differs', {outcome: 'failed'}, {}, false],
      ['who: the login', {who: 'alice'}, {}, true],
      ['who: user@host', {who: 'alice@box'}, {}, true],
      ['who: case does not matter', {who: 'ALICE'}, {}, true],
      ['who: the CI actor', {who: 'octocat'}, {who: {user: 'runner', host: 'ci', actor: 'octocat'}}, true],
      ['who: the Slack user id', {who: 'U0ALICE01'}, {who: {user: 'alice', host: 'box', slackUser: 'U0ALICE01'}}, true],
      ['who: someone else', {who: 'bob'}, {}, false],
      ['since: within', {sinceMs: 2 * 3_600_000}, {}, true],
      ['since: before', {sinceMs: 30 * 60_000}, {}, false],
      ['since: days', {sinceMs: 7 * 86_400_000}, {startedAt: '2026-05-28T00:00:00Z'}, true],
      ['all together', {service: 'web', verb: 'deploy', outcome: 'succeeded', who: 'alice', sinceMs: 86_400_000}, {}, true],
    ];
    for (const [what, filter, fields, expected] of cases) it(what, () => assert.equal(entryFilter(filter, now)(entry(fields)), expected));
  });

  describe('the "recorded locally only" hint', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'foggy-hint-'))));
    afterEach(() => rmSync(dir, {recursive: true, force: true}));
    const at = (iso: string) => new Date(iso);
    it('is shown once a day', () => {
      const due = (iso: string) => connectHintDue({stateDir: dir, env: {}, settings: {}, now: at(iso)});
      assert.deepEqual(
        ['2026-06-01T09:00:00Z', '2026-06-01T09:01:00Z', '2026-06-01T20:00:00Z', '2026-06-02T09:00:01Z', '2026-06-02T10:00:00Z'].map(due),
        [true, false, false, true, false],
      );
    });
    it('a clock set back does not silence it for good', () => {
      assert.equal(connectHintDue({stateDir: dir, env: {}, settings: {}, now: at('2030-01-01T00:00:00Z')}), true);
      assert.equal(connectHintDue({stateDir: dir, env: {}, settings: {}, now: at('2026-06-01T00:00:00Z')}), true);
    });
    it('can be turned off in settings or the environment', () => {
      assert.equal(connectHintDue({stateDir: dir, env: {}, settings: {connectHint: false}, now: at('2026-06-01T00:00:00Z')}), false);
      assert.equal(connectHintDue({stateDir: dir, env: {FOGGY_NO_CONNECT_HINT: '1'}, settings: {}, now: at('2026-06-01T00:00:00Z')}), false);
    });
  });

  describe('delivery steps, as the journal folds them', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'foggy-steps-'))));
    afterEach(() => rmSync(dir, {recursive: true, force: true}));
    type Step = DeliveryStep | {step: DeliveryStep; reason?: string; ts?: string; digest?: string};
    const cases: [string, Step[], {steps: string[]; refused?: string; dropped?: boolean; ts?: string; digest?: string}][] = [
      ['posted, then final', ['posting', {step: 'posted', ts: '1.1'}, 'final'], {steps: ['posting', 'posted', 'final'], ts: '1.1'}],
      ['a try proven not to have posted is forgotten', ['posting', 'unposted'], {steps: []}],
      ['a digest that did not post forgets its digest', [{step: 'digesting', digest: 'd1'}, 'unposted'], {steps: []}],
      ['a digest under way', [{step: 'digesting', digest: 'd1'}], {steps: ['digesting'], digest: 'd1'}],
      ['set aside with its reason', ['posting', {step: 'undeliverable', reason: 'is_archived'}], {steps: ['posting'], refused: 'is_archived'}],
      ['a retry puts it back in line', [{step: 'undeliverable', reason: 'is_archived'}, 'retry'], {steps: []}],
      ['dropped, the record kept', [{step: 'undeliverable', reason: 'is_archived'}, 'dropped'], {steps: [], refused: 'is_archived', dropped: true}],
      ['steps are not repeated', ['posting', 'posting', {step: 'posted', ts: '1.2'}, 'threading', 'thread', 'thread'], {steps: ['posting', 'posted', 'threading', 'thread'], ts: '1.2'}],
    ];
    for (const [what, steps, expected] of cases) {
      it(what, () => {
        const journal = new Journal(dir);
        const entry = {id: 'e1', verb: 'status', services: ['web'], args: {}, commandLine: '', who: {user: 'a', host: 'b'}, where: {kind: 'terminal', cwd: '/'}, catalog: '', pid: 1, startedAt: '2026-06-01T11:00:00Z', outcome: 'running'} as Entry;
        journal.append({kind: 'start', entry});
        for (const step of steps) {
          const record = typeof step === 'string' ? {step} : step;
          journal.append({kind: 'delivery', id: 'e1', at: '2026-06-01T11:00:01Z', channel: record.ts ? 'C1' : undefined, ...record});
        }
        const [folded] = journal.recent(1);
        const delivery = folded.delivery!;
        assert.deepEqual(delivery.steps, expected.steps);
        assert.equal(delivery.refused?.code, expected.refused);
        assert.equal(delivery.dropped, expected.dropped);
        assert.equal(delivery.ts, expected.ts);
        assert.equal(delivery.digest, expected.digest);
      });
    }
  });

  describe('shell completion', () => {
    const common = {json: {type: 'boolean' as const}, config: {type: 'option' as const}};
    const commands: CompletableCommand[] = [
      {id: 'status', flags: {...common, reason: {type: 'option'}}},
      {id: 'deploy', flags: {...common, ref: {type: 'option'}, confirm: {type: 'option'}, yes: {type: 'boolean', char: 'y'}}},
      {id: 'log', flags: {...common, verb: {type: 'option', options: ['status', 'deploy', 'restart']}, limit: {type: 'option'}}},
      {id: 'log:show', flags: {...common}},
      {id: 'outbox', flags: {...common, flush: {type: 'boolean'}, background: {type: 'boolean', hidden: true}}},
      {id: '__complete', hidden: true, flags: {}},
    ];
    const services = () => ['web', 'db', 'worker'];
    const cases: [string[], string[]][] = [
      [[''], ['status', 'deploy', 'log', 'outbox']],
      [['d'], ['deploy']],
      [['status', ''], ['web', 'db', 'worker']],
      [['status', 'web', 'w'], ['web', 'worker']],
      [['deploy', 'w'], ['web', 'worker']],
      [['deploy', 'web', ''], []],
      [['deploy', 'web', '--c'], ['--config', '--confirm']],
      [['deploy', 'web', '--confirm', ''], ['web', 'db', 'worker']],
      [['deploy', 'web', '--ref', ''], []],
      [['log', ''], ['show', 'web', 'db', 'worker']],
      [['log', '--verb', 'd'], ['deploy']],
      [['log', '--limit', '5', ''], ['show', 'web', 'db', 'worker']],
      [['log', 'show', ''], []],
      [['log', 'show', '--'], ['--json', '--config']],
      [['outbox', '--'], ['--json', '--config', '--flush']],
      [['nosuch', ''], []],
    ];
    for (const [words, expected] of cases) it(`foggy ${words.join(' ')}▮ → ${expected.join(' ') || 'nothing'}`, () => assert.deepEqual(complete(words, commands, services), expected));
  });

  describe('a file as a multipart body (what an upload sends)', () => {
    // what, file name, content, the name as sent
    const cases: [string, string, Buffer, string][] = [
      ['text', 'foggy-status-all-1.log', Buffer.from('up   web 3ms\n'), 'foggy-status-all-1.log'],
      ['bytes that are not text, and dashes like a boundary', 'out.bin', Buffer.from([0, 255, 13, 10, 45, 45, 45, 45, 13, 10]), 'out.bin'],
      ['a name that would break the header', 'a"b\r\nX-Evil: 1\\.log', Buffer.from('x'), 'a_b__X-Evil: 1_.log'],
      ['nothing at all', 'empty.log', Buffer.alloc(0), 'empty.log'],
    ];
    for (const [what, name, content, sent] of cases) {
      it(what, () => {
        const form = multipartFile('body', name, content);
        const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(form.contentType)![1];
        assert.ok(!content.includes(boundary));
        const text = form.body.toString('latin1');
        assert.ok(text.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="body"; filename="${sent}"\r\nContent-Type: application/octet-stream\r\n\r\n`), text);
        const start = form.body.indexOf('\r\n\r\n') + 4;
        const end = form.body.lastIndexOf(`\r\n--${boundary}--\r\n`);
        assert.equal(end, form.body.length - `\r\n--${boundary}--\r\n`.length);
        assert.deepEqual(form.body.subarray(start, end), content);
      });
    }
  });
});

describe('counts as people read them', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [12_345, '12,345'],
    [1_000_000, '1,000,000'],
    [-45_678, '-45,678'],
    [Number.MAX_SAFE_INTEGER, '9,007,199,254,740,991'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
  ];
  for (const [value, expected] of cases) {
    it(`${value} → ${expected}`, () => {
      assert.equal(formatCount(value), expected);
      if (Number.isSafeInteger(value)) assert.equal(formatCount(value), value.toLocaleString('en-US'), 'as en-US writes it');
    });
  }
});
