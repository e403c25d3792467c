import {servicesLabel} from '../entry/services-label.js';
import {clearAttempt, type DeliveryStep, type Journal, type JournalEntry} from '../journal/journal.js';
import type {Outbox} from '../journal/outbox.js';
import type {SlackApi, SlackResult} from '../slack/api.js';
import type {ChannelDirectory} from '../slack/channels.js';
import {SlackFailure} from '../slack/failure.js';
import {digestMessage, needsFile, outputMessage, rootMessage, type SlackMessage} from './message.js';
import {DIGEST_EVENT} from './payload.js';
import {RECOVERY_EVENT, recoveryMessage, reminderMessage} from './incident-message.js';
import type {Pacer} from './pacer.js';

export interface DeliveryContext {
  api: SlackApi;
  journal: Journal;
  outbox: Outbox;
  channels: ChannelDirectory;
  /** Date.now() value after which no new attempt starts. */
  deadline: number;
  /** Waits before a chat.postMessage to respect ~1 message/second/channel, learning from 429s (bulk flushes). */
  pace?: Pacer;
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

type Progress = {channel?: string; ts?: string; digest?: string; reason?: string};

/** Journals a delivery step, and carries it into the outbox copy, so whoever retries resumes here. */
export function record(context: Pick<DeliveryContext, 'journal' | 'outbox'>, entry: JournalEntry, step: DeliveryStep, progress: Progress = {}): void {
  context.journal.append({kind: 'delivery', id: entry.id, at: new Date().toISOString(), step, ...progress});
  const delivery = (entry.delivery ??= {steps: []});
  if (step === 'unposted') {
    clearAttempt(delivery);
    context.outbox.put(entry);
    return;
  }
  if (progress.channel) delivery.channel = progress.channel;
  if (progress.ts) delivery.ts = progress.ts;
  if (progress.digest) delivery.digest = progress.digest;
  if (!delivery.steps.includes(step)) delivery.steps.push(step);
  context.outbox.put(entry);
}

const done = (entry: JournalEntry, step: DeliveryStep) => entry.delivery?.steps.includes(step) ?? false;

interface Found {
  channel: string;
  ts: string;
  payload?: Record<string, unknown>;
}

/** What identifies a message of ours in the channel: its metadata event type and one payload field. */
interface MessageKey {
  eventType: string;
  field: 'id' | 'digest';
  value: string;
}

/** Looks in the channel for a message carrying this key in its metadata: did an ambiguous try post it after all? */
async function findInChannel(context: DeliveryContext, channelName: string, since: string, key: MessageKey, threadTs?: string): Promise<Found | undefined> {
  const channel = await context.channels.id(channelName, context.api);
  const oldest = String(Math.floor(new Date(since).getTime() / 1000) - 60);
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const result: SlackResult = threadTs
      ? await context.api.call('conversations.replies', {channel, ts: threadTs, include_all_metadata: true, limit: 200, cursor})
      : await context.api.call('conversations.history', {channel, oldest, include_all_metadata: true, limit: 200, cursor});
    const messages = (result.messages ?? []) as {ts: string; metadata?: {event_type?: string; event_payload?: Record<string, unknown>}}[];
    const found = messages.find((m) => m.metadata?.event_type === key.eventType && m.metadata.event_payload?.[key.field] === key.value);
    if (found) return {channel, ts: found.ts, payload: found.metadata?.event_payload};
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return undefined;
}

/**
 * Posts a message at most once. Before the first try, the journal notes that a post is under way (on
 * `entries`); from then on, any further try (after a timeout, a dropped connection, fatal_error, a 5xx,
 * or a crash of this very process) first looks for the message in the channel, by its metadata key.
 */
async function postOnce(
  context: DeliveryContext,
  entries: JournalEntry[],
  message: SlackMessage,
  options: {key: MessageKey; attemptStep: DeliveryStep; channel: string; since: string; threadTs?: string; progress?: Progress},
): Promise<{channel: string; ts: string; found?: Found}> {
  let mayExist = entries.some((entry) => done(entry, options.attemptStep));
  for (const entry of entries) if (!done(entry, options.attemptStep)) record(context, entry, options.attemptStep, options.progress);

  const attempt = async (): Promise<{channel: string; ts: string; found?: Found}> => {
    if (mayExist) {
      const found = await findInChannel(context, options.channel, options.since, options.key, options.threadTs);
      if (found) return {channel: found.channel, ts: found.ts, found};
    }
    await context.pace?.(options.channel);
    try {
      const result = await context.api.call('chat.postMessage', {
        channel: options.channel,
        thread_ts: options.threadTs,
        text: message.text,
        blocks: message.blocks,
        metadata: message.metadata,
        unfurl_links: false,
        unfurl_media: false,
      });
      const posted = {channel: String(result.channel), ts: String(result.ts)};
      context.channels.learn(options.channel, posted.channel);
      context.pace?.posted(options.channel);
      return posted;
    } catch (error) {
      mayExist = error instanceof SlackFailure && error.kind === 'ambiguous';
      if (error instanceof SlackFailure && error.kind === 'rate_limited') context.pace?.rateLimited(options.channel, error.retryAfterMs ?? 1000);
      throw error;
    }
  };

  try {
    return await withRetries(context, attempt);
  } catch (error) {
    // Every try failed in a way that proves nothing was posted: the entries are as fresh as before.
    if (!mayExist && !options.threadTs) for (const entry of entries) record(context, entry, 'unposted');
    throw error;
  }
}

const rootKey = (entry: JournalEntry): MessageKey => ({eventType: rootMessage(entry).metadata.event_type, field: 'id', value: entry.id});

/** The "in progress" root message of an action. */
export async function announce(context: DeliveryContext, entry: JournalEntry): Promise<void> {
  if (done(entry, 'posted')) return;
  if (!entry.channel) throw new SlackFailure('permanent', 'no_channel');
  const {found: _, ...posted} = await postOnce(context, [entry], rootMessage(entry), {key: rootKey(entry), attemptStep: 'posting', channel: entry.channel, since: entry.startedAt});
  record(context, entry, 'posted', posted);
}

/**
 * Brings the channel up to date with a finished entry, resuming from the last recorded step:
 * root message (posted, or updated in place), then the output tail in the thread, then the whole output as a file.
 * Throws a SlackFailure when it runs out of budget or meets a permanent error; the entry then stays in the outbox.
 */
export async function deliver(context: DeliveryContext, entry: JournalEntry, output?: string): Promise<void> {
  if (!entry.channel) throw new SlackFailure('permanent', 'no_channel');
  if (entry.verb === 'incident') return deliverIncident(context, entry);
  if (entry.delivery?.digest && !done(entry, 'posted')) {
    // A digest is resumed whole: every member still waiting goes with it, never a different one under its id.
    const digest = entry.delivery.digest;
    const members = context.outbox.list().filter((other) => other.id !== entry.id && other.delivery?.digest === digest && !done(other, 'posted') && !other.delivery.refused);
    return deliverDigest(context, digest, [entry, ...members]);
  }
  const text = output ?? (entry.output ? context.journal.readOutput(entry.id) : undefined);
  const withFile = text !== undefined && text.trim() !== '' && needsFile(text);
  // The file's bytes go up while the messages are posted: only sharing it in the thread waits for them.
  let staged: Promise<string> | undefined;
  if (withFile && !done(entry, 'file')) {
    staged = withRetries(context, () => context.api.stageFile({content: Buffer.from(text), filename: `foggy-${entry.verb}-${servicesLabel(entry.services, '-')}-${entry.id}.log`}));
    // Heard below; a delivery that fails before then leaves the staged file unshared, which shows nothing.
    staged.catch(() => {});
  }

  if (!done(entry, 'posted')) {
    const {found, ...posted} = await postOnce(context, [entry], rootMessage(entry), {key: rootKey(entry), attemptStep: 'posting', channel: entry.channel, since: entry.startedAt});
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

  if (text && text.trim()) {
    if (!done(entry, 'thread')) {
      await postOnce(context, [entry], outputMessage(entry, text, withFile), {
        key: {eventType: 'foggy_output', field: 'id', value: entry.id},
        attemptStep: 'threading',
        channel: entry.delivery!.channel!,
        since: entry.startedAt,
        threadTs: entry.delivery!.ts,
      });
      record(context, entry, 'thread');
    }
    if (staged) {
      const fileId = await staged;
      await withRetries(context, () =>
        context.api.shareFile({file_id: fileId, title: `Output of ${entry.verb} ${servicesLabel(entry.services, ' ')}`, channel_id: entry.delivery!.channel!, thread_ts: entry.delivery!.ts!}),
      );
      record(context, entry, 'file');
    }
  }
  context.outbox.remove(entry.id);
}

/**
 * An incident's messages, resuming from the last recorded step: the root message (posted as the incident
 * stands, or edited when it changed: flapping, resolved), and once resolved, the recovery in its thread.
 * An open incident leaves the outbox once its root message is in the channel; it comes back when it changes.
 */
export async function deliverIncident(context: DeliveryContext, entry: JournalEntry): Promise<void> {
  const resolved = entry.outcome === 'resolved';
  if (!done(entry, 'posted')) {
    const {found, ...posted} = await postOnce(context, [entry], rootMessage(entry), {key: rootKey(entry), attemptStep: 'posting', channel: entry.channel!, since: entry.startedAt});
    record(context, entry, 'posted', posted);
    // Posted as it stands now: nothing to edit, unless an older state of it was found in the channel.
    if (!found) record(context, entry, resolved ? 'closed' : 'final');
  }
  if (!done(entry, resolved ? 'closed' : 'final')) {
    const message = rootMessage(entry);
    await withRetries(context, () => context.api.call('chat.update', {channel: entry.delivery!.channel, ts: entry.delivery!.ts, text: message.text, blocks: message.blocks, metadata: message.metadata}));
    record(context, entry, resolved ? 'closed' : 'final');
  }
  if (resolved && !done(entry, 'recovered')) {
    await postOnce(context, [entry], recoveryMessage(entry), {
      key: {eventType: RECOVERY_EVENT, field: 'id', value: entry.id},
      attemptStep: 'recovering',
      channel: entry.delivery!.channel!,
      since: entry.startedAt,
      threadTs: entry.delivery!.ts,
    });
    record(context, entry, 'recovered');
  }
  context.outbox.remove(entry.id);
}

/** A reminder in an open incident's thread: best effort within the deadline (a missed one is followed by the next). */
export async function remind(context: DeliveryContext, entry: JournalEntry, now: Date): Promise<void> {
  const {channel, ts} = entry.delivery ?? {};
  if (!channel || !ts) return;
  const message = reminderMessage(entry, now);
  await withRetries(context, () => context.api.call('chat.postMessage', {channel, thread_ts: ts, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false}));
}

/**
 * Delivers entries that waited while the channel was unreachable as one digest message. Every member is
 * journaled as "digesting" in that digest before the post, so a retry (by this process or any other)
 * looks for the digest in the channel first, and a member is never shown twice.
 */
export async function deliverDigest(context: DeliveryContext, digestId: string, entries: JournalEntry[]): Promise<void> {
  const channel = entries[0].channel;
  if (!channel) throw new SlackFailure('permanent', 'no_channel');
  const message = digestMessage(digestId, entries);
  const {found, ...posted} = await postOnce(context, entries, message, {
    key: {eventType: DIGEST_EVENT, field: 'digest', value: digestId},
    attemptStep: 'digesting',
    channel,
    since: entries[0].startedAt,
    progress: {digest: digestId},
  });
  // Found after an ambiguous try: only the members it really carries are delivered; any other goes back in line.
  const carried = found ? new Set((Array.isArray(found.payload?.entries) ? (found.payload.entries as {id?: unknown}[]) : []).map((item) => item?.id)) : undefined;
  for (const entry of entries) {
    if (carried && !carried.has(entry.id)) {
      const {digest: _, ...delivery} = entry.delivery ?? {steps: []};
      context.outbox.put({...entry, delivery: {...delivery, steps: delivery.steps.filter((step) => step !== 'digesting')}});
      continue;
    }
    record(context, entry, 'posted', {...posted, digest: digestId});
    record(context, entry, 'final');
    context.outbox.remove(entry.id);
  }
}

/** Slack refused the entry for good: it is set aside with the reason, so it never blocks the entries behind it. */
export function setAside(context: Pick<DeliveryContext, 'journal' | 'outbox'>, entry: JournalEntry, failure: SlackFailure): void {
  const at = new Date().toISOString();
  context.journal.append({kind: 'delivery', id: entry.id, at, step: 'undeliverable', reason: failure.code});
  context.outbox.put({...entry, delivery: {...(entry.delivery ?? {steps: []}), refused: {code: failure.code, at}}});
}
