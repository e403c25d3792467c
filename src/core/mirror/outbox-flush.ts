import {openJournal} from '../journal/open.js';
import type {JournalEntry} from '../journal/journal.js';
import {Outbox} from '../journal/outbox.js';
import {stateDir} from '../platform/paths.js';
import type {Connection} from '../slack/connection.js';
import {SlackFailure} from '../slack/failure.js';
import {deliver, setAside, type DeliveryContext} from './delivery.js';
import {flushOutbox, refusedForGood, type FlushOptions, type FlushResult} from './flush.js';
import {usageError} from '../errors/foggy-error.js';
import {openDeliveryContext} from './delivery-context.js';

/** A delivery context for `budgetMs` from now, with every request aborted when it ends. */
function flushContext(slack: Connection, env: NodeJS.ProcessEnv, budgetMs: number): {context: DeliveryContext; close: () => void} {
  return openDeliveryContext({
    api: (signal) => slack.api(Math.min(budgetMs, 10_000), signal),
    journal: openJournal(env),
    outbox: new Outbox(stateDir(env)),
    channels: slack.channels,
    deadline: Date.now() + budgetMs,
  });
}

/** `foggy outbox --flush`: deliver everything waiting, paced, within `budgetMs`; waits its turn behind another flusher. */
export async function flushAll(slack: Connection, env: NodeJS.ProcessEnv, budgetMs: number, options: Pick<FlushOptions, 'onProgress' | 'lingerMs' | 'paceFromStart'> = {}): Promise<FlushResult> {
  const {context, close} = flushContext(slack, env, budgetMs);
  try {
    return await flushOutbox(context, {waitForLockMs: Math.max(0, budgetMs - 1000), ...options});
  } finally {
    close();
  }
}

/** An outbox entry by id or unique id prefix, as git takes abbreviated hashes. */
export function findOutboxEntry(outbox: Outbox, id: string): JournalEntry {
  const matches = outbox.ids().filter((candidate) => candidate === id || candidate.startsWith(id));
  const exact = matches.find((candidate) => candidate === id);
  if (!exact && matches.length > 1) throw usageError(`"${id}" matches ${matches.length} entries in the outbox: give more of the id.`);
  const entry = outbox.get(exact ?? matches[0] ?? '');
  if (!entry) throw usageError(`No entry "${id}" in the outbox.`, {do: 'see-outbox', then: 'list-ids'});
  return entry;
}

/** `foggy outbox --drop ID`: the entry leaves the outbox; the journal keeps its record, and notes the drop. */
export function dropEntry(env: NodeJS.ProcessEnv, id: string): JournalEntry {
  const outbox = new Outbox(stateDir(env));
  const entry = findOutboxEntry(outbox, id);
  openJournal(env).append({kind: 'delivery', id: entry.id, at: new Date().toISOString(), step: 'dropped'});
  outbox.remove(entry.id);
  return entry;
}

export interface RetryResult {
  entry: JournalEntry;
  delivered: boolean;
  failure?: SlackFailure;
}

/** `foggy outbox --retry ID`: puts a set-aside entry back in line and tries to deliver it now. */
export async function retryEntry(slack: Connection, env: NodeJS.ProcessEnv, id: string, budgetMs: number): Promise<RetryResult> {
  const {context, close} = flushContext(slack, env, budgetMs);
  try {
    const found = findOutboxEntry(context.outbox, id);
    const {refused: _, ...delivery} = found.delivery ?? {steps: []};
    const entry: JournalEntry = {...found, delivery: {...delivery, handedOver: true}};
    context.journal.append({kind: 'delivery', id: entry.id, at: new Date().toISOString(), step: 'retry'});
    context.outbox.put(entry);
    try {
      await deliver(context, entry);
      return {entry, delivered: true};
    } catch (error) {
      const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', String(error));
      if (refusedForGood(failure)) setAside(context, context.outbox.get(entry.id) ?? entry, failure);
      return {entry, delivered: false, failure};
    }
  } finally {
    close();
  }
}
