/**
 * Text that reaches Slack. mrkdwn treats &, < and > as markup: unescaped, a check's output or a user name
 * holding <!channel> would ping the whole channel, and <https://evil|docs> would disguise a link. Every
 * text foggy sends passes through here, clipped first and escaped after, so that clipping never cuts an
 * escape sequence or the end of a code block.
 */

export function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Cuts without splitting a surrogate pair. */
function cutAt(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}

function cutFrom(text: string, start: number): string {
  const code = text.charCodeAt(start);
  return code >= 0xdc00 && code <= 0xdfff ? text.slice(start + 1) : text.slice(start);
}

/** Plain clipping (for text that is not escaped, such as metadata), with an ellipsis. */
export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${cutAt(text, Math.max(0, limit - 1))}…`;
}

/** The most characters of `text` (cut by `cut`) whose escaped form fits `room`: escaping only grows text, so a binary search finds it. */
function longestFitting(text: string, room: number, cut: (text: string, keep: number) => string): string {
  let low = 0;
  let high = Math.min(text.length, room);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (escape(cut(text, middle)).length <= room) low = middle;
    else high = middle - 1;
  }
  return escape(cut(text, low));
}

/** Escaped text of at most `limit` characters: the head of `text` when it does not fit. */
export function escapeClipped(text: string, limit: number): string {
  const whole = escape(text);
  if (whole.length <= limit) return whole;
  return `${longestFitting(text, limit - 1, (t, keep) => cutAt(t, keep))}…`;
}

/** Escaped text of at most `limit` characters: the tail of `text` when it does not fit. */
export function escapeTail(text: string, limit: number): string {
  const whole = escape(text);
  if (whole.length <= limit) return whole;
  return `…${longestFitting(text, limit - 1, (t, keep) => cutFrom(t, t.length - keep))}`;
}

/**
 * A URL from the environment (a CI job link) becomes a link only when it is plainly an http(s) URL:
 * no characters that would end the link early or smuggle a label, no credentials, bounded length.
 */
export function safeLinkUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 500 || /[\s<>|"'`\\]/.test(url) || /[\u0000-\u001F\u007F-\u009F]/.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    if (parsed.username || parsed.password) return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}
