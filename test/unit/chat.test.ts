import assert from 'node:assert/strict';
import {mayApprove, mayRun, ruleFor, type GroupMembers} from '../../src/chat/authorize.js';
import {textAfterMention} from '../../src/chat/bolt-app.js';
import {parseChatCommand} from '../../src/chat/grammar.js';
import {ConfirmationBook, type Confirmation} from '../../src/chat/memory/confirmations.js';
import {SEEN_TTL_MS, SeenTriggers} from '../../src/chat/memory/seen-triggers.js';
import {GROUP_REFRESH_ON_MISS_MS, GROUP_TTL_MS, UserGroups} from '../../src/chat/user-groups.js';
import {ChatFront, type ServeEvent} from '../../src/chat/dispatch.js';
import {localMemory} from '../../src/chat/memory/memory.js';
import {chatWords} from '../../src/chat/words.js';
import type {Foggy} from '../../src/core/app/foggy.js';
import {FoggyError} from '../../src/core/errors/foggy-error.js';
import {parseCatalog} from '../../src/core/catalog/parse.js';
import type {ChatVerb} from '../../src/core/catalog/types.js';
import {tempDir} from '../support/temp.js';

describe('chat: the words typed', () => {
  const cases: [string, string, string[] | RegExp][] = [
    ['plain words', 'deploy web --ref v2', ['deploy', 'web', '--ref', 'v2']],
    ['runs of spaces, tabs and new lines', '  status\tweb \n db ', ['status', 'web', 'db']],
    ['double quotes group words', 'deploy web --reason "db hung again"', ['deploy', 'web', '--reason', 'db hung again']],
    ['single quotes too', "deploy web --reason 'it''s'", ['deploy', 'web', '--reason', 'its']],
    ['curly quotes, as phones type them', 'deploy web --reason “db hung”', ['deploy', 'web', '--reason', 'db hung']],
    ['an escaped quote inside double quotes', String.raw`status --reason "say \"hi\""`, ['status', '--reason', 'say "hi"']],
    ['an empty quoted word stays a word', 'status --reason ""', ['status', '--reason', '']],
    ["Slack's escapes are undone", 'status --reason a&lt;b&gt;c&amp;d', ['status', '--reason', 'a<b>c&d']],
    ['a mention of a person is refused', 'deploy web --reason <@U0BOB0001>', /Mentions of people/],
    ['a mention with a label too', 'deploy <@U0BOB0001|bob>', /Mentions of people/],
    ['@channel is refused, and says nothing was sent', 'status <!channel>', /Special mentions.*nothing was sent/],
    ['@here in a quoted reason', 'status --reason "ping <!here> now"', /Special mentions/],
    ['a user group mention', 'status <!subteam^S0OPS|@ops>', /Special mentions/],
    ['a channel link', 'status <#C0OPS00001|ops>', /Channel links/],
    ['a link', 'deploy web --reason <https://evil.example|docs>', /Links are not taken/],
    ['a control character', 'status web\u0007', /control character \(U\+0007\)/],
    ['an escape sequence', 'status \u001B[2Jweb', /control character \(U\+001B\)/],
    ['text reordering marks', 'status \u202Ebew', /control character \(U\+202E\)/],
    ['an unclosed quote', 'deploy web --reason "oops', /quote is not closed \(double quote\)/],
    ['5,000 characters', `status ${'x'.repeat(5000)}`, /too long \(5,007 characters; at most 2,000\)/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const result = chatWords(text);
      if (Array.isArray(expected)) assert.deepEqual(result, {ok: true, words: expected});
      else {
        assert.equal(result.ok, false);
        assert.match((result as {problem: string}).problem, expected);
      }
    });
  }

  it('the text after a mention of the bot is the command', () => {
    assert.equal(textAfterMention('<@U0FOGGY01> status web', 'U0FOGGY01'), 'status web');
    assert.equal(textAfterMention('hey <@U0FOGGY01|foggy>   deploy web', 'U0FOGGY01'), 'deploy web');
    assert.equal(textAfterMention('status web', 'U0FOGGY01'), 'status web');
  });
});

describe('chat: the verb grammar, shared with the CLI', () => {
  const cases: [string, string, Record<string, unknown> | RegExp][] = [
    ['nothing typed is help', '', {verb: 'help'}],
    ['help', 'help', {verb: 'help'}],
    ['help for a verb', 'help deploy', {verb: 'help', topic: 'deploy'}],
    ['a verb with --help', 'restart --help', {verb: 'help', topic: 'restart'}],
    ['status of all', 'status', {verb: 'status', parsed: {argv: [], flags: {'dry-run': false}}}],
    ['status of two with a reason', 'status web db --reason x', {verb: 'status', parsed: {argv: ['web', 'db'], flags: {'dry-run': false, reason: 'x'}}}],
    ['verbs are not case-sensitive', 'STATUS web', {verb: 'status', parsed: {argv: ['web'], flags: {'dry-run': false}}}],
    ['deploy with a ref and a wait, in milliseconds', 'deploy web --ref v2 --wait 5m', {verb: 'deploy', parsed: {args: {service: 'web'}, flags: {'dry-run': false, ref: 'v2', wait: 300_000}}}],
    ['--wait alone waits the default', 'restart db --wait', {verb: 'restart', parsed: {args: {service: 'db'}, flags: {'dry-run': false, wait: 600_000}}}],
    ['--flag=value', 'deploy web --ref=v2', {verb: 'deploy', parsed: {args: {service: 'web'}, flags: {'dry-run': false, ref: 'v2'}}}],
    ['log with filters', 'log web -n 5 --since 24h --outcome failed', {verb: 'log', parsed: {args: {service: 'web'}, flags: {limit: 5, since: 86_400_000, outcome: 'failed'}}}],
    ['an unknown verb, with a guess', 'deplyo web', /Unknown command "deplyo"; did you mean "deploy"\?/],
    ['an unknown verb, no guess', 'launch-missiles', /Unknown command "launch-missiles"\./],
    ['the service missing', 'deploy --ref v2', /Missing 1 required arg/],
    ['an unknown flag', 'status --bogus', /Nonexistent flag: --bogus/],
    ['--yes is the shell\'s: chat asks with buttons', 'deploy web --yes', /--yes is not available from chat\. .*approval with buttons/],
    ['-y too', 'restart db -y', /-y is not available from chat/],
    ['--confirm too', 'deploy web --confirm web', /--confirm is not available from chat/],
    ['--json is the shell\'s', 'status --json', /--json is not available from chat/],
    ['--channel: the entry goes where it belongs', 'status --channel C0X', /--channel is not available from chat/],
    ['a duration past what a timer holds', 'deploy web --wait 99999h', /--wait: expected a duration from 0s to 24h/],
    ['a flag without its value', 'deploy web --ref', /Flag --ref expects a value/],
    ['an extra word', 'deploy web now', /Unexpected argument: now/],
    ['a value not in the list', 'log --verb dance', /Expected --verb=dance to be one of/],
  ];
  for (const [what, text, expected] of cases) {
    it(what, async () => {
      const result = await parseChatCommand(text);
      if (expected instanceof RegExp) {
        assert.equal(result.ok, false, JSON.stringify(result));
        assert.match((result as {problem: string}).problem, expected);
        assert.doesNotMatch((result as {problem: string}).problem, /See more help/);
      } else {
        assert.equal(result.ok, true, JSON.stringify(result));
        const command = (result as {command: Record<string, unknown>}).command;
        const parsed = command.parsed as {args?: Record<string, unknown>; flags?: Record<string, unknown>; argv?: unknown} | undefined;
        // status takes its services as argv; the others by their named argument.
        const named = command.verb !== 'status' && parsed?.args && Object.keys(parsed.args).length > 0 ? {args: parsed.args} : {};
        const shown = parsed ? {verb: command.verb, parsed: {...named, ...(command.verb === 'status' ? {argv: parsed.argv} : {}), flags: parsed.flags}} : command;
        assert.deepEqual(shown, expected);
      }
    });
  }
});

describe('chat: who may run what, by Slack ids', () => {
  const catalog = parseCatalog(
    `version: 1
chat:
  allow:
    deploy: [U0ALICE01, S0DEPLOYERS]
    restart: [U0ALICE01]
    log: [S0OPS]
services:
  web:
    chat:
      allow: {deploy: [U0DAVE001]}
      approvers: [U0BOB0001, S0LEADS]
  api:
    chat:
      allow: {status: []}
  db: {}
`,
    '/tmp/foggy.yml',
    {},
  );
  const groups: Record<string, string[]> = {S0DEPLOYERS: ['U0CAROL01'], S0LEADS: ['U0ERIN001'], S0OPS: ['U0ALICE01']};
  const members: GroupMembers = async (group, user) => (group === 'S0BROKEN' ? {problem: 'missing_scope'} : {member: (groups[group] ?? []).includes(user)});
  const person = (user: string, team = 'T0HELLO01') => ({user, team});
  const service = (name: string) => catalog.services.get(name)!;

  const runCases: [string, ChatVerb, string[], string, string, boolean | RegExp][] = [
    ['status: everyone, by default', 'status', ['db'], 'U0NOBODY1', 'T0HELLO01', true],
    ['status of all: every service must allow it', 'status', ['web', 'api', 'db'], 'U0ALICE01', 'T0HELLO01', /services\.api\.chat\.allow\.status does not include you/],
    ['deploy: named in the catalog\'s rule', 'deploy', ['db'], 'U0ALICE01', 'T0HELLO01', true],
    ['deploy: a member of a named user group', 'deploy', ['db'], 'U0CAROL01', 'T0HELLO01', true],
    ['deploy: nobody else', 'deploy', ['db'], 'U0BOB0001', 'T0HELLO01', /chat\.allow\.deploy does not include you/],
    ['a service\'s own rule replaces the catalog\'s', 'deploy', ['web'], 'U0ALICE01', 'T0HELLO01', /services\.web\.chat\.allow\.deploy does not include you/],
    ['and admits whom it names', 'deploy', ['web'], 'U0DAVE001', 'T0HELLO01', true],
    ['restart: its own rule', 'restart', ['db'], 'U0ALICE01', 'T0HELLO01', true],
    ['log: a group only', 'log', [], 'U0BOB0001', 'T0HELLO01', /chat\.allow\.log does not include you/],
    ['another workspace is refused whatever the rules', 'status', ['db'], 'U0ALICE01', 'T0OTHER01', /not a member of this app's workspace/],
  ];
  for (const [what, verb, services, user, team, expected] of runCases) {
    it(what, async () => {
      const decision = await mayRun({catalog, verb, services: services.map(service), person: person(user, team), appTeam: 'T0HELLO01', members});
      if (expected === true) assert.deepEqual(decision, {allowed: true});
      else {
        assert.equal(decision.allowed, false);
        assert.match((decision as {reason: string}).reason, expected as RegExp);
      }
    });
  }

  it('deny by default: deploy and restart have no rule until foggy.yml gives one', async () => {
    const bare = parseCatalog('version: 1\nservices:\n  web: {}\n', '/tmp/foggy.yml', {});
    assert.deepEqual(ruleFor(bare, 'deploy', bare.services.get('web')), {rule: [], source: 'the default for deploy'});
    const decision = await mayRun({catalog: bare, verb: 'deploy', services: [bare.services.get('web')!], person: person('U0ALICE01'), appTeam: 'T0HELLO01', members});
    assert.deepEqual(decision, {allowed: false, reason: 'the default for deploy does not include you', mayRun: 'nobody (foggy.yml gives no one this right)'});
  });

  it('a refusal names who may, people as mentions and groups by id (a group mention would notify it)', async () => {
    const decision = await mayRun({catalog, verb: 'deploy', services: [service('db')], person: person('U0BOB0001'), appTeam: 'T0HELLO01', members});
    assert.equal((decision as {mayRun: string}).mayRun, '<@U0ALICE01>, user group `S0DEPLOYERS`');
  });

  it('a user group that cannot be read refuses, and says why', async () => {
    const withBroken = parseCatalog('version: 1\nchat: {allow: {deploy: [S0BROKEN]}}\nservices:\n  web: {}\n', '/tmp/foggy.yml', {});
    const decision = await mayRun({catalog: withBroken, verb: 'deploy', services: [withBroken.services.get('web')!], person: person('U0ALICE01'), appTeam: 'T0HELLO01', members});
    assert.match((decision as {reason: string}).reason, /user group S0BROKEN: missing_scope/);
  });

  const approveCases: [string, string, string, boolean, boolean | RegExp][] = [
    ['an approver approves', 'U0BOB0001', 'U0ALICE01', false, true],
    ['a member of an approving group approves', 'U0ERIN001', 'U0ALICE01', false, true],
    ['the requester cannot approve their own, even if listed', 'U0BOB0001', 'U0BOB0001', false, /the one who asked cannot approve it/],
    ['someone allowed to deploy is no approver', 'U0DAVE001', 'U0ALICE01', false, /services\.web\.chat\.approvers does not include you/],
    ['the requester may cancel their own', 'U0ALICE01', 'U0ALICE01', true, true],
    ['an approver may cancel', 'U0BOB0001', 'U0ALICE01', true, true],
    ['nobody else may cancel', 'U0CAROL01', 'U0ALICE01', true, /does not include you/],
  ];
  for (const [what, clicker, requester, cancelling, expected] of approveCases) {
    it(what, async () => {
      const decision = await mayApprove({catalog, verb: 'deploy', service: service('web'), person: person(clicker), requester, appTeam: 'T0HELLO01', members, cancelling});
      if (expected === true) assert.deepEqual(decision, {allowed: true});
      else assert.match((decision as {reason: string}).reason, expected as RegExp);
    });
  }

  it('without approvers, whoever may run the verb confirms (the requester included); others may not', async () => {
    const db = service('db');
    assert.deepEqual(await mayApprove({catalog, verb: 'deploy', service: db, person: person('U0ALICE01'), requester: 'U0ALICE01', appTeam: 'T0HELLO01', members}), {allowed: true});
    assert.deepEqual(await mayApprove({catalog, verb: 'deploy', service: db, person: person('U0CAROL01'), requester: 'U0ALICE01', appTeam: 'T0HELLO01', members}), {allowed: true});
    assert.equal((await mayApprove({catalog, verb: 'deploy', service: db, person: person('U0BOB0001'), requester: 'U0ALICE01', appTeam: 'T0HELLO01', members})).allowed, false);
    assert.equal((await mayApprove({catalog, verb: 'deploy', service: db, person: person('U0ALICE01', 'T0OTHER01'), requester: 'U0ALICE01', appTeam: 'T0HELLO01', members})).allowed, false);
  });
});

describe('chat: what foggy serve remembers', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('a trigger is taken once, across a restart, until its ids expire', () => {
    let now = 1_000_000;
    const seen = SeenTriggers.open(dir.path, () => now);
    assert.equal(seen.firstTime(['envelope:1', 'event:Ev1']), true);
    assert.equal(seen.firstTime(['envelope:1']), false, 'the same envelope');
    assert.equal(seen.firstTime(['envelope:2', 'event:Ev1']), false, 'the same event in another envelope (a retry)');
    const again = SeenTriggers.open(dir.path, () => now);
    assert.equal(again.firstTime(['envelope:1']), false, 'remembered across a restart');
    now += SEEN_TTL_MS + 1;
    assert.equal(again.firstTime(['envelope:1']), true, 'forgotten after its time');
  });

  it('memory stays bounded: expired ids leave the map and, compacted, the file', () => {
    let now = 0;
    const seen = SeenTriggers.open(dir.path, () => now);
    for (let i = 0; i < 5000; i++) {
      now += 1000;
      seen.firstTime([`envelope:${i}`]);
    }
    assert.ok(seen.size <= SEEN_TTL_MS / 1000 + 1, `${seen.size} ids kept`);
  });

  const confirmation = (id: string): Confirmation => ({id, state: 'open', verb: 'deploy', service: 'web', waitMs: 0, requester: {user: 'U0ALICE01', team: 'T0HELLO01'}, commandLine: '/foggy deploy web', typedIn: {channel: 'C0OPS00001', team: 'T0HELLO01'}, createdAt: 1000, expiresAt: 301_000});

  it('a confirmation closes once: the first click wins, also after a restart', () => {
    const book = ConfirmationBook.open(dir.path, 1000);
    book.save(confirmation('c1'));
    const first = book.close('c1', 'approved', 'U0BOB0001', 2000);
    assert.equal(first?.state, 'approved');
    assert.equal(book.close('c1', 'cancelled', 'U0ALICE01', 2001), undefined);
    const reopened = ConfirmationBook.open(dir.path, 3000);
    assert.equal(reopened.get('c1')?.state, 'approved');
    assert.equal(reopened.get('c1')?.closedBy, 'U0BOB0001');
    assert.equal(reopened.close('c1', 'approved', 'U0ERIN001', 3001), undefined);
    assert.deepEqual(reopened.open(), []);
  });

  it('open confirmations survive a restart; closed ones are forgotten after a day', () => {
    const book = ConfirmationBook.open(dir.path, 1000);
    book.save(confirmation('open'));
    book.save(confirmation('closed'));
    book.close('closed', 'cancelled', 'U0ALICE01', 2000);
    const later = ConfirmationBook.open(dir.path, 2000 + 25 * 3_600_000);
    assert.deepEqual(later.open().map((c) => c.id), ['open']);
    assert.equal(later.get('closed'), undefined);
  });
});

describe('chat: user groups, cached', () => {
  it('one lookup serves many; a miss looks again (not too often); stale members are looked up again', async () => {
    let now = 0;
    let calls = 0;
    let members = ['U0CAROL01'];
    const groups = new UserGroups(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return members;
    }, () => now);
    const answers = await Promise.all(Array.from({length: 10}, () => groups.members('S0OPS', 'U0CAROL01')));
    assert.deepEqual([calls, answers.every((a) => 'member' in a && a.member)], [1, true]);
    members = ['U0CAROL01', 'U0DAVE001'];
    assert.deepEqual(await groups.members('S0OPS', 'U0DAVE001'), {member: false}, 'a miss right away: the cached list');
    now += GROUP_REFRESH_ON_MISS_MS + 1;
    assert.deepEqual(await groups.members('S0OPS', 'U0DAVE001'), {member: true}, 'a miss later: looked up again');
    assert.equal(calls, 2);
    members = ['U0DAVE001'];
    now += GROUP_TTL_MS + 1;
    assert.deepEqual(await groups.members('S0OPS', 'U0CAROL01'), {member: false}, 'stale: looked up again, and no longer a member');
  });

  it('Slack\'s refusals say what to do', async () => {
    const failing = (error: string) => new UserGroups(async () => Promise.reject(Object.assign(new Error(error), {data: {error}})));
    assert.match(((await failing('missing_scope').members('S0OPS', 'U1')) as {problem: string}).problem, /usergroups:read/);
    assert.match(((await failing('plan_upgrade_required').members('S0OPS', 'U1')) as {problem: string}).problem, /paid Slack plan/);
    assert.match(((await failing('ratelimited').members('S0OPS', 'U1')) as {problem: string}).problem, /could not read its members \(ratelimited\)/);
  });
});

describe('chat: every failure is answered to the one who asked', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  const catalog = parseCatalog('version: 1\nservices:\n  web: {}\n', '/tmp/foggy.yml', {});
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', path: '/var/lib/foggy/state/foggy/journal.jsonl'});
  const cases: [string, unknown, RegExp, string][] = [
    ['a full disk: the path and what to do, not a bug', enospc, /Cannot use \/var\/lib\/foggy\/state\/foggy\/journal\.jsonl: no space left on the device\.\nFree some space there, or set XDG_STATE_HOME/, 'error'],
    ['a bug: said as one, the stack in the log only', new TypeError('cannot read properties of undefined'), /foggy hit an internal error: cannot read properties of undefined\nThis is a bug in foggy/, 'error'],
    ['the core\'s own error, as chat phrases it', new FoggyError('web is being deployed by alice', {kind: 'refused', code: 'service_locked', remedy: {do: 'wait'}, data: {}}), /web is being deployed by alice\nAdd --wait 10m/, 'refused'],
  ];
  for (const [name, thrown, answer, outcome] of cases) {
    it(name, async () => {
      const replies: string[] = [];
      const events: ServeEvent[] = [];
      const failing = {status: async () => Promise.reject(thrown)} as unknown as Foggy;
      const front = new ChatFront({
        appTeam: 'T0HELLO01',
        catalog: () => catalog,
        foggyFor: () => failing,
        slack: {ephemeral: async (_target, message) => void replies.push(message.text), post: async () => ({channel: 'C0OPS00001', ts: '1.1'}), update: async () => {}, metadataOf: async () => undefined},
        members: async () => ({member: false}),
        ...(({seen, confirmations}) => ({seen, confirmations}))(localMemory(dir.path)),
        log: (event) => void events.push(event),
        host: 'bot-1',
        places: {state: '/var/lib/foggy/state', config: '/etc/foggy', cache: '/var/cache/foggy', temp: '/tmp'},
      });
      await front.command({ids: ['envelope:1'], person: {user: 'U0ALICE01', team: 'T0HELLO01'}, channel: 'C0OPS00001', prefix: '/foggy', text: 'status web'});
      assert.equal(replies.length, 1, `one answer: ${JSON.stringify(replies)}`);
      assert.match(replies[0], answer);
      assert.doesNotMatch(replies[0], /at .*\.ts:\d+/, 'no stack in chat');
      assert.equal(events.at(-1)?.outcome, outcome);
    });
  }
});
