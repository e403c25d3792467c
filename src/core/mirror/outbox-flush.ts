import {Journal} from '../journal/journal.js';
import {Outbox} from '../journal/outbox.js';
import type {Connection} from '../slack/connection.js';
import {flushOutbox, type FlushResult} from './flush.js';

/** `foggy outbox --flush`: deliver everything waiting, paced, within `budgetMs`. */
export async function flushAll(slack: Connection, stateDir: string, budgetMs: number): Promise<FlushResult> {
  const controller = new AbortController();
  const deadline = Date.now() + budgetMs;
  const timer = setTimeout(() => controller.abort(), budgetMs);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, Math.max(0, deadline - Date.now()))));
  try {
    return await flushOutbox(
      {api: slack.api(Math.min(budgetMs, 10_000), controller.signal), journal: new Journal(stateDir), outbox: new Outbox(stateDir), channels: slack.channels, deadline, sleep},
      {waitForLockMs: 5_000},
    );
  } finally {
    clearTimeout(timer);
  }
}
