import assert from 'node:assert/strict';
import type {Entry, Outcome} from '../../src/core/entry/types.js';
import {digestItem, entriesFromDigest, entryFromPayload, entryPayload} from '../../src/core/mirror/payload.js';
import {rootMessage} from '../../src/core/mirror/message.js';
import {ROLLBACK_ACTION, ROLLBACK_OFFER_BLOCK, ROLLED_BACK_BLOCK, withOffer, withRolledBack, rollbackOfferBlock} from '../../src/core/mirror/rollback-message.js';
import {deployRunOf, mergeRuns} from '../../src/core/rollback/record.js';
import {chooseTarget, type DeployRun} from '../../src/core/rollback/target.js';
import {fourKeys, RULES, type Run} from '../../src/core/report/metrics.js';
import {RunCollector} from '../../src/core/report/collect.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const MINUTE = 60_000;

/** A deploy history as a test writes it: "v1 ok", "v2 failed", "rollback v1 ok of=#1", "api v9 ok", "- ok" (no ref). */
function history(...lines: string[]): DeployRun[] {
  return lines.map((line, index) => {
    const words = line.split(' ');
    const service = words[0] === 'api' ? 'api' : 'web';
    if (words[0] === 'api') words.shift();
    const verb = words[0] === 'rollback' ? 'rollback' : 'deploy';
    if (verb === 'rollback') words.shift();
    const [ref, outcome, of] = words;
    const run: DeployRun = {id: `e${index + 1}-abcdef`, verb, service, outcome: (outcome === 'ok' ? 'succeeded' : outcome) as Outcome, startedAt: T0 + index * MINUTE, endedAt: T0 + index * MINUTE + 30_000};
    if (ref !== '-') run.ref = ref;
    if (of) run.rollbackOf = `e${Number(of.replace('of=#', ''))}-abcdef`;
    return run;
  });
}

/** What a choice comes to, as one line: "v2 (#2)" or the reason nothing is chosen. */
function chosen(runs: DeployRun[], to?: string): string {
  const choice = chooseTarget(runs, 'web', to);
  if (choice.ok) return `${choice.target.ref} (#${choice.target.id.split('-')[0].slice(1)})`;
  return choice.reason;
}

describe('rollback: choosing the deploy to go back to', () => {
  const cases: [string, string[], string | undefined, string][] = [
    ['nothing deployed', [], undefined, 'no deploys'],
    ['one deploy only', ['v1 ok'], undefined, 'nothing earlier'],
    ['the current one failed: the last good one before it', ['v1 ok', 'v2 ok', 'v3 failed'], undefined, 'v2 (#2)'],
    ['the current one succeeded (an incident after it): the one before', ['v1 ok', 'v2 ok', 'v3 ok'], undefined, 'v2 (#2)'],
    ['failed, timed out, interrupted and unknown ones are passed over', ['v1 ok', 'v2 failed', 'v3 timed_out', 'v4 interrupted', 'v5 unknown', 'v6 failed'], undefined, 'v1 (#1)'],
    ['a refused deploy ran nothing: neither current nor a target', ['v1 ok', 'v2 ok', 'v3 refused'], undefined, 'v1 (#1)'],
    ['a deploy still running is the current one', ['v1 ok', 'v2 ok', 'v3 running'], undefined, 'v2 (#2)'],
    ["another service's deploys are not this one's", ['v1 ok', 'api v7 ok', 'v2 failed', 'api v8 ok'], undefined, 'v1 (#1)'],
    ['a ref deployed twice: the version running now is not a way back', ['v1 ok', 'v2 ok', 'v2 ok'], undefined, 'v1 (#1)'],
    ['a redeploy of the same ref that failed goes back to that ref', ['v1 ok', 'v2 ok', 'v2 failed'], undefined, 'v2 (#2)'],
    ['rolling back twice goes further back, never forth', ['v1 ok', 'v2 ok', 'v3 ok', 'rollback v2 ok of=#3'], undefined, 'v1 (#1)'],
    ['a failed rollback: the deploy it tried to undo stays undone', ['v1 ok', 'v2 ok', 'v3 ok', 'rollback v2 failed of=#3'], undefined, 'v2 (#2)'],
    ['the one to go back to was deployed without a ref', ['- ok', 'v2 failed'], undefined, 'ref unknown'],
    ['only failures before the current one', ['v1 failed', 'v2 failed', 'v3 ok'], undefined, 'nothing earlier'],
    ['--to a ref: the latest good deploy of it', ['v1 ok', 'v2 ok', 'v1 ok', 'v3 failed'], 'v1', 'v1 (#3)'],
    ['--to an entry id', ['v1 ok', 'v2 ok', 'v3 failed'], 'e1-abcdef', 'v1 (#1)'],
    ['--to the start of an entry id', ['v1 ok', 'v2 ok', 'v3 failed'], 'e1-abc', 'v1 (#1)'],
    ['--to an entry that failed: not a good deploy', ['v1 ok', 'v2 failed', 'v3 failed'], 'e2-abcdef', 'not good'],
    ['--to a ref that never succeeded', ['v1 ok', 'v2 failed', 'v3 failed'], 'v2', 'not good'],
    ['--to the current deploy', ['v1 ok', 'v2 failed'], 'e2-abcdef', 'not earlier'],
    ['--to the current ref', ['v1 ok', 'v2 failed'], 'v2', 'not earlier'],
    ['--to something the record never held', ['v1 ok', 'v2 failed'], 'v9', 'not found'],
    ["--to another service's entry", ['v1 ok', 'api v7 ok', 'v2 failed'], 'e2-abcdef', 'other service'],
    ['--to a rollback that succeeded: it is a good deploy of its ref', ['v1 ok', 'v2 ok', 'rollback v1 ok of=#2', 'v3 failed'], 'e3-abcdef', 'v1 (#3)'],
    ['--to a deploy a rollback undid: asked for by name, so chosen', ['v1 ok', 'v2 ok', 'rollback v1 ok of=#2'], 'v2', 'v2 (#2)'],
  ];
  for (const [name, lines, to, expected] of cases) {
    it(`${name}${to ? ` (--to ${to})` : ''}: ${expected}`, () => assert.equal(chosen(history(...lines), to), expected));
  }

  it('the order the record is read in does not matter', () => {
    const runs = history('v1 ok', 'api v7 ok', 'v2 ok', 'v3 failed', 'rollback v2 ok of=#4', 'v4 failed');
    for (let i = 0; i < 20; i++) {
      const shuffled = [...runs].sort(() => Math.random() - 0.5);
      assert.equal(chosen(shuffled), 'v2 (#5)');
    }
  });

  it('--to the start of two entries: ambiguous', () => {
    const runs = history('v1 ok', 'v2 ok', 'v3 failed').map((run, index) => ({...run, id: `same-prefix-${index}`}));
    assert.equal(chooseTarget(runs, 'web', 'same-prefix').ok ? 'chosen' : (chooseTarget(runs, 'web', 'same-prefix') as {reason: string}).reason, 'ambiguous');
  });
});

function deployEntry(id: string, ref: string | undefined, outcome: Outcome, minutes: number, extra: Partial<Entry> = {}): Entry {
  return {
    id,
    verb: 'deploy',
    services: ['web'],
    args: ref === undefined ? {} : {ref},
    commandLine: `foggy deploy web${ref ? ` --ref ${ref}` : ''}`,
    who: {user: 'alice', host: 'laptop'},
    where: {kind: 'terminal', cwd: '/srv'},
    catalog: '/srv/foggy.yml',
    pid: 1,
    startedAt: new Date(T0 + minutes * MINUTE).toISOString(),
    endedAt: new Date(T0 + minutes * MINUTE + 30_000).toISOString(),
    durationMs: 30_000,
    outcome,
    ...extra,
  };
}

describe('rollback: the record read from the channel and from the journal', () => {
  const longRef = `release-${'x'.repeat(240)}`;
  const entries = [
    deployEntry('0a-111111', 'v1', 'succeeded', 0),
    deployEntry('0b-222222', longRef, 'succeeded', 1),
    deployEntry('0c-333333', 'v3', 'failed', 2),
    {...deployEntry('0d-444444', longRef, 'succeeded', 3), verb: 'rollback' as const, rollbackOf: '0c-333333', args: {ref: longRef, from: 'v3'}},
    deployEntry('0e-555555', 'v4', 'failed', 4),
  ];

  it('an entry read back from its message is the same run as the journal has (a ref of 250 characters whole)', () => {
    const fromChannel = entries.map((entry) => deployRunOf(entryFromPayload(entryPayload(entry))!));
    const fromJournal = entries.map((entry) => deployRunOf(entry));
    assert.deepEqual(fromChannel, fromJournal);
    assert.equal(chooseTarget(fromChannel as DeployRun[], 'web').ok && (chooseTarget(fromChannel as DeployRun[], 'web') as {target: DeployRun}).target.ref, longRef);
  });

  it("a digest's line cuts a long ref: that run is not deployed again from it, the whole ref from elsewhere wins", () => {
    const digest = entriesFromDigest({digest: 'd1', entries: entries.map(digestItem)})!;
    const cut = digest.entries.map((entry) => deployRunOf(entry)!);
    assert.equal(cut[1].refCut, true);
    const fromDigestOnly = chooseTarget(cut, 'web');
    assert.equal(fromDigestOnly.ok ? 'chosen' : fromDigestOnly.reason, 'ref unknown');
    const merged = mergeRuns(cut, entries.map((entry) => deployRunOf(entry)!));
    const choice = chooseTarget(merged, 'web');
    assert.ok(choice.ok);
    assert.equal(choice.target.ref, longRef);
  });

  it('the same run from two sources: the finished state over the running one', () => {
    const running = deployRunOf({...entries[2], outcome: 'running', endedAt: undefined})!;
    const [merged] = mergeRuns([running], [deployRunOf(entries[2])!]);
    assert.equal(merged.outcome, 'failed');
    assert.equal(mergeRuns([deployRunOf(entries[2])!], [running])[0].outcome, 'failed');
  });
});

describe('rollback: the messages', () => {
  it('a failed deploy offers "Roll back to v2", its value naming the deploy it undoes and the one it goes back to', () => {
    const message = rootMessage({...deployEntry('0c-333333', 'v3', 'failed', 2), rollbackTo: {entry: '0b-222222', ref: 'v2'}});
    const actions = message.blocks.find((block) => block.block_id === ROLLBACK_OFFER_BLOCK) as {elements: {action_id: string; text: {text: string}; value: string}[]};
    assert.equal(actions.elements[0].action_id, ROLLBACK_ACTION);
    assert.equal(actions.elements[0].text.text, 'Roll back to v2');
    assert.deepEqual(JSON.parse(actions.elements[0].value), {service: 'web', of: '0c-333333', to: '0b-222222'});
    assert.equal(message.blocks.at(-1)?.type, 'context');
  });

  it('a long ref is cut to fit a button; a ref with markup is plain text there', () => {
    const block = rollbackOfferBlock({id: 'x', services: ['web']}, {entry: 'y', ref: `<!channel> ${'r'.repeat(200)}`}) as {elements: {text: {type: string; text: string}}[]};
    assert.equal(block.elements[0].text.type, 'plain_text');
    assert.ok(block.elements[0].text.text.length <= 75);
  });

  it('offered again, the button replaces the last one; rolled back, it gives way to who did it and the link', () => {
    const blocks = rootMessage(deployEntry('0c-333333', 'v3', 'succeeded', 2)).blocks;
    const offer = rollbackOfferBlock({id: '0c-333333', services: ['web']}, {entry: '0b-222222', ref: 'v2'});
    const twice = withOffer(withOffer(blocks, offer), offer);
    assert.equal(twice.filter((block) => block.block_id === ROLLBACK_OFFER_BLOCK).length, 1);
    assert.equal(twice.at(-1)?.type, 'context');
    const done = withRolledBack(twice, {by: 'bob', ref: 'v2', outcome: 'succeeded', link: 'https://example.slack.com/archives/C1/p1'});
    assert.equal(done.some((block) => block.block_id === ROLLBACK_OFFER_BLOCK), false);
    const note = JSON.stringify(done.find((block) => block.block_id === ROLLED_BACK_BLOCK));
    assert.match(note, /Rolled back to `v2` by bob \(<https:\/\/example\.slack\.com\/archives\/C1\/p1\|the rollback>\)/);
  });

  it("a rollback's headline says where it went and from what; its context names the entry it undoes", () => {
    const message = rootMessage({...deployEntry('0d-444444', 'v2', 'succeeded', 3), verb: 'rollback', rollbackOf: '0c-333333', args: {ref: 'v2', from: 'v3'}});
    const text = JSON.stringify(message.blocks);
    assert.match(text, /\*rollback\* `web` to `v2` from `v3`/);
    assert.match(text, /undoes entry `0c-333333`/);
  });
});

describe('rollback: what the report counts', () => {
  const FROM = Date.parse('2026-11-01T00:00:00Z');
  const period = {from: FROM, to: FROM + 28 * 86_400_000};
  const run = (id: string, verb: Run['verb'], outcome: Outcome, minutes: number, extra: Partial<Run> = {}): Run => ({id, verb, service: 'web', outcome, startedAt: FROM + minutes * MINUTE, endedAt: FROM + minutes * MINUTE + MINUTE, ...extra});

  it('a deploy rolled back is a change failure; its time to restore runs from the deploy to the rollback\'s end', () => {
    const keys = fourKeys([run('d1', 'deploy', 'succeeded', 0), run('d2', 'deploy', 'succeeded', 60), run('r1', 'rollback', 'succeeded', 100, {rollbackOf: 'd2'})], period);
    assert.deepEqual(keys.changeFailureRate.failingDeploys, [{id: 'd2', service: 'web', why: 'rollback', by: 'r1'}]);
    assert.deepEqual([keys.changeFailureRate.failing, keys.changeFailureRate.deploys], [1, 2]);
    assert.equal(keys.timeToRestore.rolledBack, 1);
    assert.equal(keys.timeToRestore.medianMs, 41 * MINUTE);
    assert.equal(keys.deploymentFrequency.deploys, 2, 'a rollback is not a deploy of its own');
  });

  it('an incident between the deploy and the rollback measures the restore, counted once', () => {
    const keys = fourKeys([run('d1', 'deploy', 'succeeded', 0), run('i1', 'incident', 'resolved', 10, {endedAt: FROM + 50 * MINUTE}), run('r1', 'rollback', 'succeeded', 40, {rollbackOf: 'd1'})], period);
    assert.deepEqual([keys.timeToRestore.resolved, keys.timeToRestore.rolledBack, keys.timeToRestore.medianMs], [1, 0, 40 * MINUTE]);
    assert.equal(keys.changeFailureRate.failingDeploys[0].why, 'incident');
  });

  it('a failed rollback still marks the deploy as failing, and restores nothing', () => {
    const keys = fourKeys([run('d1', 'deploy', 'succeeded', 0), run('r1', 'rollback', 'failed', 30, {rollbackOf: 'd1'})], period);
    assert.equal(keys.changeFailureRate.failing, 1);
    assert.equal(keys.timeToRestore.rolledBack, 0);
    assert.equal(keys.timeToRestore.medianMs, null);
  });

  it('the collector keeps what a rollback undid; the rules say how it counts', () => {
    const collector = new RunCollector();
    collector.add({...deployEntry('r1', 'v1', 'succeeded', 0), verb: 'rollback', rollbackOf: 'd1'});
    assert.equal(collector.all()[0].rollbackOf, 'd1');
    assert.match(RULES.changeFailureRate, /rollback/);
    assert.match(RULES.timeToRestore, /rolled back .* from the deploy's start to the rollback's success/);
  });
});
