import {formatCount} from '../core/text/count.js';

/**
 * What someone typed after /foggy (or after mentioning the bot), as Slack sends it, turned into words the
 * verb grammar parses. Slack escapes &, < and > in the text it sends, so a `<` is always its own markup:
 * a mention (<@U…>), a special mention (<!channel>), a channel (<#C…>) or a link. None of them is an
 * argument foggy takes, and echoing one back would ping or disguise, so a word holding one is refused.
 */

/** Longer than any command anyone types; a paste of a log is a mistake to hear about. */
export const MAX_CHAT_TEXT = 2000;

export type Words = {ok: true; words: string[]} | {ok: false; problem: string};

const QUOTES: Record<string, string> = {'"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '’': '’', '„': '“'};
/** C0 and C1 controls (tabs and new lines separate words), and the invisible marks that reorder text. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;
const MARKUP = /<([^>]*)>/;

export function chatWords(text: string): Words {
  if (text.length > MAX_CHAT_TEXT) return {ok: false, problem: `The command is too long (${formatCount(text.length)} characters; at most ${formatCount(MAX_CHAT_TEXT)}).`};
  const control = CONTROL.exec(text);
  if (control) return {ok: false, problem: `The command holds a control character (U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); type it again without it.`};
  const split = splitWords(text.replaceAll('\r', ' '));
  if (!split.ok) return split;
  const words: string[] = [];
  for (const word of split.words) {
    const markup = MARKUP.exec(word);
    if (markup) return {ok: false, problem: markupProblem(markup[1])};
    words.push(decodeEntities(word));
  }
  return {ok: true, words};
}

/** Slack's three escapes, undone: the words as the person typed them. */
export function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function markupProblem(inner: string): string {
  if (inner.startsWith('@')) return 'Mentions of people are not taken as arguments: name the service and options in plain words.';
  if (inner.startsWith('!')) return 'Special mentions (@channel, @here, @everyone, user groups) are not taken as arguments; nothing was sent to anyone.';
  if (inner.startsWith('#')) return 'Channel links are not taken as arguments: entries go to the channel foggy.yml names for the service.';
  return 'Links are not taken as arguments: name what you mean in plain words (a ticket number, a tag), without the address.';
}

/** Words separated by white space; quotes (straight or curly, as phones type them) group words. */
function splitWords(text: string): Words {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let closing: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (closing !== undefined) {
      if (char === closing || (closing === '”' && char === '"') || (closing === '"' && char === '”')) closing = undefined;
      else if (char === '\\' && closing === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) current += text[++i];
      else current += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char in QUOTES) closing = QUOTES[char];
    else current += char;
  }
  if (closing !== undefined) return {ok: false, problem: `A quote is not closed (${closing === '"' || closing === '”' ? 'double' : 'single'} quote).`};
  if (inWord) words.push(current);
  return {ok: true, words};
}
