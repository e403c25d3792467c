import type {Journal} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import type {SlackApi} from '../slack/api.js';
import type {ChannelDirectory} from '../slack/channels.js';
import {sleep} from '../platform/sleep.js';
import type {DeliveryContext} from './delivery.js';

/**
 * A delivery pass with a hard deadline: every request and every wait of the pass is aborted when the deadline
 * passes, when `interrupt` aborts (Ctrl-C), or when the pass is closed. The one way a run, a flush and the
 * watcher bound their time with Slack.
 */
export function openDeliveryContext(options: {
  api: (signal: AbortSignal) => SlackApi;
  journal: Journal;
  outbox: Outbox;
  channels: ChannelDirectory;
  deadline: number;
  interrupt?: AbortSignal;
  /** Given when something else must be able to cut the pass short too. */
  controller?: AbortController;
}): {context: DeliveryContext; close: () => void} {
  const controller = options.controller ?? new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, options.deadline - Date.now()));
  const stop = () => controller.abort();
  const {interrupt} = options;
  if (interrupt?.aborted) stop();
  else interrupt?.addEventListener('abort', stop, {once: true});
  return {
    context: {
      api: options.api(controller.signal),
      journal: options.journal,
      outbox: options.outbox,
      channels: options.channels,
      deadline: options.deadline,
      sleep: (ms) => sleep(ms, controller.signal),
    },
    close: () => {
      clearTimeout(timer);
      interrupt?.removeEventListener('abort', stop);
      controller.abort();
    },
  };
}
