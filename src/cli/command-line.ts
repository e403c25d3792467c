/** The command as the entry shows it: what was typed, each word quoted as a shell would need it. */
export function typedCommandLine(bin: string, id: string, argv: readonly string[]): string {
  return [bin, ...id.split(':'), ...argv].map(quoteForDisplay).join(' ');
}

function quoteForDisplay(word: string): string {
  return /^[\w@%+=:,./#-]+$/.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`;
}
