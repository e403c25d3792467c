import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {appendFileSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {Entry} from '../../src/core/entry/types.js';
import {Journal} from '../../src/core/journal/journal.js';
import {isOrphaned} from '../../src/core/journal/liveness.js';
import {collect} from '../support/cli.js';
import {tempDir} from '../support/temp.js';

const JOURNAL_MODULE = fileURLToPath(new URL('../../src/core/journal/journal.ts', import.meta.url));

function entry(id: string, extra: Partial<Entry> = {}): Entry {
  return {
    id, verb: 'deploy', services: ['web'], args: {}, commandLine: 'foggy deploy web', who: {user: 'sre', host: 'box'},
    where: {kind: 'terminal', cwd: '/'}, catalog: '/srv/foggy.yml', pid: 1, startedAt: new Date().toISOString(), outcome: 'running', ...extra,
  };
}

describe('journal', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  it('folds start, end and delivery records into entries, in start order', () => {
    const journal = new Journal(dir.path);
    journal.append({kind: 'start', entry: entry('a')});
    journal.append({kind: 'start', entry: entry('b')});
    journal.append({kind: 'end', id: 'a', end: {outcome: 'succeeded', exitCode: 0, durationMs: 12}});
    journal.append({kind: 'delivery', id: 'a', at: 'now', step: 'posted', channel: 'C1', ts: '1.2'});
    journal.append({kind: 'delivery', id: 'a', at: 'now', step: 'final'});
    const [a, b] = journal.entries();
    assert.equal(a.outcome, 'succeeded');
    assert.equal(a.exitCode, 0);
    assert.deepEqual(a.delivery, {channel: 'C1', ts: '1.2', steps: ['posted', 'final']});
    assert.equal(b.outcome, 'running');
  });

  it('skips a torn last line, and the next record still lands on a line of its own', () => {
    const journal = new Journal(dir.path);
    journal.append({kind: 'start', entry: entry('a')});
    appendFileSync(journal.file, '{"kind":"start","entry":{"id":"torn"');
    assert.deepEqual(journal.entries().map((e) => e.id), ['a']);
    journal.append({kind: 'start', entry: entry('c')});
    assert.deepEqual(journal.entries().map((e) => e.id), ['a', 'c']);
    assert.equal(readFileSync(journal.file, 'utf8').split('\n').filter(Boolean).length, 3);
  });

  it('keeps every record whole when 20 processes append at once', async function () {
    this.timeout(60_000);
    const writers = 20;
    const each = 50;
    // Records of ~8 KiB make interleaving likely if appends were not atomic.
    const script = `
      const {Journal} = await import(${JSON.stringify(JOURNAL_MODULE)});
      const journal = new Journal(${JSON.stringify(dir.path)});
      const padding = 'x'.repeat(8192);
      for (let i = 0; i < ${each}; i++) {
        journal.append({kind: 'start', entry: {id: process.argv[1] + '-' + i, services: [], padding}});
      }`;
    const children = Array.from({length: writers}, (_, n) =>
      collect(spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, `w${n}`], {stdio: ['ignore', 'pipe', 'pipe']})),
    );
    const results = await Promise.all(children);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const lines = readFileSync(new Journal(dir.path).file, 'utf8').split('\n').filter(Boolean);
    assert.equal(lines.length, writers * each);
    for (const line of lines) JSON.parse(line);
    assert.equal(new Set(new Journal(dir.path).entries().map((e) => e.id)).size, writers * each);
  });

  it('keeps the output beside the journal, private to the user', () => {
    const journal = new Journal(dir.path);
    journal.saveOutput('a', 'hello');
    assert.equal(journal.readOutput('a'), 'hello');
    assert.equal(journal.readOutput('missing'), undefined);
  });

  it('knows a running entry whose process is gone is orphaned', () => {
    const dead = entry('a', {pid: 2 ** 22 + 12_345, who: {user: 'u', host: 'here'}});
    assert.equal(isOrphaned(dead, 'here'), true);
    assert.equal(isOrphaned({...dead, pid: process.ppid}, 'here'), false);
    assert.equal(isOrphaned(dead, 'another-host'), false);
    assert.equal(isOrphaned({...dead, outcome: 'succeeded'}, 'here'), false);
  });
});
