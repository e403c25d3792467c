/**
 * Text from outside (an action's output, a check's detail, names and reasons, entries read from the
 * channel, an error a server sent) shown on a terminal: control characters (C0, DEL, C1 including the CSI
 * introducer U+009B, and ESC) are shown as escapes instead of acting on the terminal, so nothing can move
 * the cursor, rewrite the screen, retitle the window or hide a line. JSON output keeps the data as it is.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001F\u007F-\u009F]/g;

function escapeControl(char: string): string {
  const code = char.charCodeAt(0);
  return code === 0x0a ? '\\n' : code === 0x09 ? '\\t' : `\\x${code.toString(16).padStart(2, '0')}`;
}

/** For a line: every control character, newlines and tabs too, becomes visible. */
export function printable(text: string): string {
  return text.replace(CONTROL_OR_NEWLINE, escapeControl);
}

/** For a block of text: newlines and tabs stay, the rest becomes visible. */
export function printableBlock(text: string): string {
  return text.replace(CONTROL, escapeControl);
}
