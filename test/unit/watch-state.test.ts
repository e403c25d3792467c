import assert from 'node:assert/strict';
import {initialWatch, observe, type ServiceWatch} from '../../src/core/watch/state.js';

/** The watcher's rules as a table: a run of round results in, the changes it declares out. */
describe('watch state machine', () => {
  const settings = {downAfter: 3, upAfter: 2, flapping: {changes: 4, windowMs: 60_000}};
  /** Rounds one second apart from a fixed start; "+" a good round, "-" a failed one. */
  function play(rounds: string, start: ServiceWatch = initialWatch(new Date(0)), options = settings): {changes: string[]; state: ServiceWatch} {
    let state = start;
    const changes: string[] = [];
    [...rounds].forEach((round, index) => {
      const {next, change} = observe(state, round === '+', new Date(1000 * (index + 1)), options);
      if (change) changes.push(`${index + 1}:${change.to}`);
      state = next;
    });
    return {changes, state};
  }
  const cases: [string, string, string[]][] = [
    ['first sight of a good service: up', '+', ['1:up']],
    ['not down before down_after failures', '--', []],
    ['down on the third failure in a row', '---', ['3:down']],
    ['a good round resets the count', '--+--', ['3:up']],
    ['up again after up_after good rounds', '+---++', ['1:up', '4:down', '6:up']],
    ['one good round is not enough', '+---+-', ['1:up', '4:down']],
    ['flapping past 4 changes in the window: one state', '+-+-+-+-', ['1:up', '6:flapping']],
    // Flips at rounds 2 to 7 (or 6): settled once all but two have left the 60s window.
    ['a flapping service settles once the changes age out and the result holds', '+-+-+-' + '+'.repeat(60), ['1:up', '6:flapping', '65:up']],
    ['and settles down if that is how it holds', '+-+-+-' + '-'.repeat(60), ['1:up', '6:flapping', '64:down']],
  ];
  for (const [what, rounds, expected] of cases) it(`${what}: ${rounds.length > 12 ? `${rounds.slice(0, 10)}… (${rounds.length} rounds)` : rounds}`, () => assert.deepEqual(play(rounds).changes, expected));

  it('a down service is down since its first failed round', () => {
    const {state} = play('+---');
    assert.deepEqual([state.state, state.since], ['down', new Date(2000).toISOString()]);
  });

  it('counts carry over from a saved state (a restarted watcher, the next --once)', () => {
    const saved = play('--').state;
    assert.deepEqual(play('-', saved).changes, ['1:down']);
  });
});
