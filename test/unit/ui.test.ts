import assert from 'node:assert/strict';
import {decorationsAllowed, table} from '../../src/cli/ui.js';
import {formatDuration, parseDuration} from '../../src/core/duration.js';
import {closest} from '../../src/core/suggest.js';

const tty = {isTTY: true} as NodeJS.WriteStream;
const pipe = {isTTY: false} as NodeJS.WriteStream;

describe('output etiquette', () => {
  it('decorates only a terminal, outside CI, without NO_COLOR', () => {
    assert.equal(decorationsAllowed(tty, {}), true);
    assert.equal(decorationsAllowed(pipe, {}), false);
    assert.equal(decorationsAllowed(tty, {NO_COLOR: '1'}), false);
    assert.equal(decorationsAllowed(tty, {CI: 'true'}), false);
    assert.equal(decorationsAllowed(tty, {CI: 'false'}), true);
    assert.equal(decorationsAllowed(tty, {TERM: 'dumb'}), false);
  });

  it('aligns table columns, ignoring colour codes', () => {
    assert.deepEqual(table([['\u001B[32ma\u001B[39m', 'bb'], ['ccc', 'd']], ['H', 'X']), ['H    X', '\u001B[32ma\u001B[39m    bb', 'ccc  d']);
  });
});

describe('durations and suggestions', () => {
  it('parses and formats durations', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2s'), 2000);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration(3), 3000);
    assert.throws(() => parseDuration('soon'), /not a duration/);
    assert.equal(formatDuration(840), '840ms');
    assert.equal(formatDuration(2340), '2.3s');
    assert.equal(formatDuration(245_000), '4m05s');
  });

  it('suggests near names only', () => {
    assert.equal(closest('wbe', ['db', 'worker', 'web'])[0], 'web');
    assert.deepEqual(closest('stauts', ['status', 'services']), ['status']);
    assert.deepEqual(closest('zzzzzz', ['web', 'db']), []);
  });
});
