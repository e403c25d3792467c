import {hostname} from 'node:os';
import {join} from 'node:path';
import {newEntryId} from '../../src/core/entry/id.js';
import type {Entry} from '../../src/core/entry/types.js';
import {Journal} from '../../src/core/journal/journal.js';
import {Outbox} from '../../src/core/journal/outbox.js';

/** A finished status entry as a run of `foggy status web` records it. */
export function statusEntry(at: number, channel: string, overrides: Partial<Entry> = {}): Entry {
  return {
    id: newEntryId(at),
    verb: 'status',
    services: ['web'],
    args: {},
    commandLine: 'foggy status web',
    who: {user: 'ci', host: hostname()},
    where: {kind: 'terminal', cwd: '/srv/ops'},
    channel,
    catalog: '/srv/ops/foggy.yml',
    pid: 2 ** 22 + 1,
    startedAt: new Date(at).toISOString(),
    endedAt: new Date(at + 40).toISOString(),
    durationMs: 40,
    outcome: 'succeeded',
    exitCode: 0,
    summary: 'web is up',
    ...overrides,
  };
}

/**
 * What a day-long Slack outage leaves behind: `count` finished entries in the journal and the outbox,
 * their runs long gone (handed over), one minute apart. Written through foggy's own journal and outbox.
 */
export function seedBacklog(stateDir: string, count: number, channel = '#ops', start = Date.now() - count * 60_000): Entry[] {
  const journal = new Journal(stateDir);
  const outbox = new Outbox(stateDir);
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = statusEntry(start + i * 60_000, channel);
    const {endedAt, durationMs, outcome, exitCode, summary, ...started} = entry;
    journal.append({kind: 'start', entry: {...started, outcome: 'running'}});
    journal.append({kind: 'end', id: entry.id, end: {endedAt, durationMs, outcome, exitCode, summary}});
    outbox.put({...entry, delivery: {steps: [], handedOver: true}});
    entries.push(entry);
  }
  return entries;
}

export const stateDirOf = (env: NodeJS.ProcessEnv) => join(env.XDG_STATE_HOME!, 'foggy');
