import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {appendFileSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
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
        journal.append({kind: 'start', entry: {id: process.argv[1] + '-' + i, verb: 'status', services: [], args: {}, who: {user: 'u', host: 'h'}, where: {kind: 'terminal', cwd: '/'}, startedAt: new Date().toISOString(), outcome: 'running', padding}});
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

describe('journal history, read from the end', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  function run(journal: Journal, id: string, service = 'web'): void {
    journal.append({kind: 'start', entry: entry(id, {services: [service]})});
    journal.append({kind: 'end', id, end: {outcome: 'succeeded', exitCode: 0, durationMs: 5}});
    journal.append({kind: 'delivery', id, at: 'now', step: 'posted', channel: 'C1', ts: id});
  }

  it('recent() gives the newest entries, complete, newest first, and agrees with the full fold', () => {
    const journal = new Journal(dir.path);
    for (let i = 0; i < 50; i++) run(journal, `e${String(i).padStart(3, '0')}`, i % 3 === 0 ? 'db' : 'web');
    const recent = journal.recent(5);
    assert.deepEqual(recent.map((e) => e.id), ['e049', 'e048', 'e047', 'e046', 'e045']);
    const all = journal.entries().reverse();
    assert.deepEqual(recent, all.slice(0, 5));
    assert.deepEqual(journal.recent(3, (e) => e.services.includes('db')).map((e) => e.id), ['e048', 'e045', 'e042']);
    assert.equal(journal.recent(1000).length, 50);
  });

  it('an entry whose end came after later entries started is still complete', () => {
    const journal = new Journal(dir.path);
    journal.append({kind: 'start', entry: entry('long')});
    run(journal, 'short');
    journal.append({kind: 'end', id: 'long', end: {outcome: 'failed', exitCode: 1}});
    assert.deepEqual(journal.recent(2).map((e) => [e.id, e.outcome]), [['short', 'succeeded'], ['long', 'failed']]);
  });

  it('rotates by size, keeps the configured number of files, and reads history across them', () => {
    const journal = new Journal(dir.path, {maxBytes: 4096, keep: 2});
    for (let i = 0; i < 60; i++) run(journal, `e${String(i).padStart(3, '0')}`);
    assert.ok(readFileSync(journal.file).length < 4096 + 1024);
    assert.ok(readFileSync(join(dir.path, 'journal.1.jsonl')).length > 0);
    assert.ok(readFileSync(join(dir.path, 'journal.2.jsonl')).length > 0);
    assert.throws(() => readFileSync(join(dir.path, 'journal.3.jsonl')), /ENOENT/);
    const recent = journal.recent(12);
    assert.deepEqual(recent.map((e) => e.id), Array.from({length: 12}, (_, i) => `e${String(59 - i).padStart(3, '0')}`));
    for (const e of recent) assert.equal(e.outcome, 'succeeded');
  });

  it('lines torn or holding the wrong shape are skipped, never fatal', () => {
    const journal = new Journal(dir.path);
    run(journal, 'a');
    appendFileSync(journal.file, 'null\n42\n{"kind":"start"}\n{"kind":"end"}\n[]\n{"kind":"start","entry":{"id":"b"');
    run(journal, 'c');
    assert.deepEqual(journal.recent(10).map((e) => e.id), ['c', 'a']);
    assert.deepEqual(journal.entries().map((e) => e.id), ['a', 'c']);
  });
});
