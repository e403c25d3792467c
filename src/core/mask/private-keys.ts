/**
 * Private key blocks in every layout output shows them in: PEM lines (LF or CRLF), a block on one line,
 * JSON with escaped line ends ("-----BEGIN…\nMIIE…\n-----END…"), a YAML block indented under its key, PGP
 * armour with its headers, and a block cut in two by foggy's own "bytes of output omitted" line (its start
 * kept in the first part of the output, its end in the last): what can be told apart as key material is masked.
 */

/** Foggy's own mark where it dropped the middle of a long output (see actions/output-capture.ts). */
const OMITTED = /\n… \d+ bytes of output omitted …\n/;

/** BEGIN … END, or BEGIN to the omission mark or the end of the text when the END was cut off. */
const BLOCK = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|(?=\n… \d+ bytes of output omitted …\n)|$)/gi;

/**
 * An END whose BEGIN is not in the text (the block's start was dropped): the key lines just before it,
 * base64 and armour headers, each ending in a real or an escaped line end.
 */
const ORPHAN_END = /((?:[ \t]*(?:[A-Za-z0-9+/]{8,}={0,2}|=[A-Za-z0-9+/]{4}|[A-Za-z-]+: [^\n\\]*)[ \t]*(?:\r?\n|\\r?\\n))+)([ \t]*-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)/gi;

/** As gitleaks reads them, in any case. */
const ANY_KEY = /PRIVATE KEY/i;

export function maskPrivateKeys(text: string, mark: string): string {
  if (!ANY_KEY.test(text)) return text;
  // Each part on either side of an omission mark is masked on its own: a block never runs across it.
  const parts = text.split(OMITTED);
  if (parts.length > 1) {
    const marks = text.match(new RegExp(OMITTED.source, 'g'))!;
    return parts.map((part, index) => maskPart(part, mark) + (marks[index] ?? '')).join('');
  }
  return maskPart(text, mark);
}

function maskPart(text: string, mark: string): string {
  if (!ANY_KEY.test(text)) return text;
  const blocks = text.replace(BLOCK, mark);
  return blocks.replace(ORPHAN_END, (_, lines: string, end: string) => `${mark}${/\\r?\\n$/.test(lines) ? lines.match(/\\r?\\n$/)![0] : '\n'}${end}`);
}
