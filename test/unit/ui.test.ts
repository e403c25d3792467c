import assert from 'node:assert/strict';
import {Chalk} from 'chalk';
import {renderStatus} from '../../src/cli/render/status.js';
import {decorationsAllowed, table, type Ui} from '../../src/cli/ui.js';
import {formatDuration, parseDuration} from '../../src/core/text/duration.js';
import {closest} from '../../src/core/text/suggest.js';

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

  it('renders a status line per service, styled only where colour is on', () => {
    const statuses = [
      {service: 'web', ok: true, latencyMs: 12, checks: [{name: 'http://web/', type: 'http' as const, ok: true, latencyMs: 12, detail: '200 OK'}]},
      {service: 'db', ok: false, latencyMs: 1500, checks: [{name: 'db:5432', type: 'tcp' as const, ok: false, latencyMs: 1500, detail: 'connection refused\u001B[2J'}]},
      {service: 'empty', ok: true, latencyMs: 0, checks: []},
    ];
    const ui = (level: 0 | 1) => {
      const color = new Chalk({level});
      return {color, symbols: {ok: color.green('✔'), fail: color.red('✖')}} as unknown as Ui;
    };
    const plain = renderStatus(ui(0), statuses);
    assert.deepEqual(plain, ['✔  web    12ms  1 check passed', '✖  db     1.5s  db:5432: connection refused\\x1b[2J', '✔  empty  0ms   no checks']);
    const colored = renderStatus(ui(1), statuses);
    assert.equal(colored.map((line) => line.replaceAll(/\u001B\[[0-9;]*m/g, '')).join('\n'), plain.join('\n'));
    assert.match(colored[0], /\u001B\[1mweb\u001B\[22m/);
    assert.match(colored[0], /\u001B\[2m1 check passed\u001B\[22m/);
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
