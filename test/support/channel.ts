import assert from 'node:assert/strict';
import type {FakeSlack} from './slack-server.js';

/**
 * What the channel shows, entry by entry: every entry id carried by a root message (foggy_entry) or by a
 * digest (foggy_digest), with how many times each appears. Exactly once means every count is 1.
 */
export function shownEntries(slack: FakeSlack, channel = 'C0OPS00001'): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (id: unknown) => typeof id === 'string' && counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const message of slack.posts(channel)) {
    const metadata = message.metadata;
    if (metadata?.event_type === 'foggy_entry') add(metadata.event_payload.id);
    if (metadata?.event_type === 'foggy_digest') for (const item of metadata.event_payload.entries as {id: string}[]) add(item.id);
  }
  return counts;
}

export function duplicates(counts: Map<string, number>): string[] {
  return [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
}

/** Text Slack would render (fallback text, block texts): where a ping or a disguised link would take effect. */
export function renderedText(slack: FakeSlack): string {
  return slack.messages
    .flatMap((m) => [m.text, ...(m.blocks ?? []).flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)])])
    .join('\n');
}

/** Mentions and links as Slack parses them: <!channel>, <!here>, <@U…>, <!subteam^…>, <url|label>. */
export function markupIn(text: string): string[] {
  return [...text.matchAll(/<[^>\n]*>/g)].map((match) => match[0]);
}

/** A run that posted says only where: one "Posted: <permalink>" line on stderr (the message's, when given). */
export function assertPostedOnly(stderr: string, message?: {channel: string; ts: string}): void {
  if (message) assert.equal(stderr, `Posted: https://hello.slack.test/archives/${message.channel}/p${message.ts.replace('.', '')}\n`);
  else assert.match(stderr, /^Posted: https:\/\/hello\.slack\.test\/archives\/C\w+\/p\d+\n$/);
}
