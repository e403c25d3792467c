import type {JournalEntry, DeliveryStep, Journal} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import type {SlackApi, SlackResult} from '../slack/api.js';
import type {ChannelDirectory} from '../slack/channels.js';
import {SlackFailure} from '../slack/failure.js';
import {needsFile, outputMessage, rootMessage, type SlackMessage} from './message.js';

export interface DeliveryContext {
  api: SlackApi;
  journal: Journal;
  outbox: Outbox;
  channels: ChannelDirectory;
  /** Date.now() value after which no new attempt starts. */
  deadline: number;
  /** Waits before a chat.postMessage to respect ~1 message/second/channel (bulk flushes). */
  pace?: (channel: string) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 3;

/** Retries within the deadline: rate limits after Retry-After, transient failures with backoff. */
async function withRetries<T>(context: DeliveryContext, work: () => Promise<T>): Promise<T> {
  let backoff = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const failure = error instanceof SlackFailure ? error : new SlackFailure('ambiguous', (error as Error).message);
      if (failure.kind === 'permanent') throw failure;
      // A channel that is down now will not be back in a second: a few tries, then the outbox.
      if (failure.kind !== 'rate_limited' && attempt >= MAX_ATTEMPTS) throw failure;
      const wait = failure.kind === 'rate_limited' ? (failure.retryAfterMs ?? 1000) : backoff;
      if (Date.now() + wait >= context.deadline) throw failure;
      await context.sleep(wait);
      backoff = Math.min(backoff * 2, 2000);
    }
  }
}

function record(context: DeliveryContext, entry: JournalEntry, step: DeliveryStep, where?: {channel: string; ts: string}): void {
  context.journal.append({kind: 'delivery', id: entry.id, at: new Date().toISOString(), step, ...where});
  const delivery = (entry.delivery ??= {steps: []});
  if (where) Object.assign(delivery, where);
  if (!delivery.steps.includes(step)) delivery.steps.push(step);
  // The outbox copy carries the progress too: whoever retries resumes here, not from the start.
  context.outbox.put(entry);
}

const done = (entry: JournalEntry, step: DeliveryStep) => entry.delivery?.steps.includes(step) ?? false;

/** Looks in the channel for a message carrying this entry's metadata: did an ambiguous try post it after all? */
async function findInChannel(context: DeliveryContext, entry: JournalEntry, eventType: string, threadTs?: string): Promise<{channel: string; ts: string} | undefined> {
  const channel = await context.channels.id(entry.channel!, context.api);
  const oldest = String(Math.floor(new Date(entry.startedAt).getTime() / 1000) - 60);
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const result: SlackResult = threadTs
      ? await context.api.call('conversations.replies', {channel, ts: threadTs, include_all_metadata: true, limit: 200, cursor})
      : await context.api.call('conversations.history', {channel, oldest, include_all_metadata: true, limit: 200, cursor});
    const messages = (result.messages ?? []) as {ts: string; metadata?: {event_type?: string; event_payload?: {id?: string}}}[];
    const found = messages.find((m) => m.metadata?.event_type === eventType && m.metadata.event_payload?.id === entry.id);
    if (found) return {channel, ts: found.ts};
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return undefined;
}

/**
 * Posts a message at most once. Before the first try, the journal notes that a post is under way; from then
 * on, any further try (after a timeout, a dropped connection, fatal_error, a 5xx, or a crash of this very
 * process) first looks for the message in the channel, by the entry id in its metadata.
 */
async function postOnce(context: DeliveryContext, entry: JournalEntry, message: SlackMessage, options: {threadTs?: string} = {}): Promise<{channel: string; ts: string; found?: boolean}> {
  const attemptStep: DeliveryStep = options.threadTs ? 'threading' : 'posting';
  let mayExist = done(entry, attemptStep);
  if (!mayExist) record(context, entry, attemptStep);
  return withRetries(context, async () => {
    if (mayExist) {
      const found = await findInChannel(context, entry, message.metadata.event_type, options.threadTs);
      if (found) return {...found, found: true};
    }
    const channel = options.threadTs ? entry.delivery!.channel! : entry.channel!;
    await context.pace?.(channel);
    try {
      const result = await context.api.call('chat.postMessage', {
        channel,
        thread_ts: options.threadTs,
        text: message.text,
        blocks: message.blocks,
        metadata: message.metadata,
        unfurl_links: false,
        unfurl_media: false,
      });
      const posted = {channel: String(result.channel), ts: String(result.ts)};
      context.channels.learn(entry.channel!, posted.channel);
      return posted;
    } catch (error) {
      mayExist = error instanceof SlackFailure && error.kind === 'ambiguous';
      throw error;
    }
  });
}

/** The "in progress" root message of an action. */
export async function announce(context: DeliveryContext, entry: JournalEntry): Promise<void> {
  if (done(entry, 'posted')) return;
  const {found: _, ...posted} = await postOnce(context, entry, rootMessage(entry));
  record(context, entry, 'posted', posted);
}

/**
 * Brings the channel up to date with a finished entry, resuming from the last recorded step:
 * root message (posted, or updated in place), then the output tail in the thread, then the whole output as a file.
 * Throws a SlackFailure when it runs out of budget or meets a permanent error; the entry then stays in the outbox.
 */
export async function deliver(context: DeliveryContext, entry: JournalEntry, output?: string): Promise<void> {
  if (!entry.channel) throw new SlackFailure('permanent', 'no_channel');
  if (!done(entry, 'posted')) {
    const {found, ...posted} = await postOnce(context, entry, rootMessage(entry));
    record(context, entry, 'posted', posted);
    // A message found in the channel may be an older state of the entry ("in progress"): update it below.
    if (!found) record(context, entry, 'final');
  }
  if (!done(entry, 'final')) {
    const message = rootMessage(entry);
    await withRetries(context, () =>
      // chat.update is idempotent: repeating it after an ambiguous failure is harmless.
      context.api.call('chat.update', {channel: entry.delivery!.channel, ts: entry.delivery!.ts, text: message.text, blocks: message.blocks, metadata: message.metadata}),
    );
    record(context, entry, 'final');
  }

  const text = output ?? (entry.output ? context.journal.readOutput(entry.id) : undefined);
  if (text && text.trim()) {
    const withFile = needsFile(text);
    if (!done(entry, 'thread')) {
      await postOnce(context, entry, outputMessage(entry, text, withFile), {threadTs: entry.delivery!.ts});
      record(context, entry, 'thread');
    }
    if (withFile && !done(entry, 'file')) {
      await withRetries(context, () =>
        context.api.uploadFile({
          channel_id: entry.delivery!.channel!,
          thread_ts: entry.delivery!.ts!,
          content: Buffer.from(text),
          filename: `foggy-${entry.verb}-${entry.services.join('-')}-${entry.id}.log`,
          title: `Output of ${entry.verb} ${entry.services.join(' ')}`,
        }),
      );
      record(context, entry, 'file');
    }
  }
  context.outbox.remove(entry.id);
}
