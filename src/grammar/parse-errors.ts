/**
 * oclif's words for a parse failure (a missing argument, an unknown flag, a bad value), as one line for every
 * front end: a flag's own parser failing reads "--wait: why", as every other usage line names its flag, and
 * oclif's own framing lines go.
 */
export function parseProblemLine(message: string): string {
  return message
    .replace(/^Parsing (--[\w-]+)\s*\n\s*/, '$1: ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^The following errors? occurred:|^See more help with --help/.test(line))
    // oclif lists what is missing under a line ending in a colon, each "name  description": one clause here.
    .map((line) => line.replace(/^([\w-]+) {2,}(.+?)\.?$/, '$1 ($2)'))
    .join('; ')
    .replaceAll(':; ', ': ');
}

/** The flag oclif did not know, as typed (its dashes and its name), when that is what it said. */
export function unknownFlag(message: string): {dashes: string; name: string} | undefined {
  const match = /^Nonexistent flags?: (-{1,2})([\w-]+)/.exec(message);
  return match ? {dashes: match[1], name: match[2]} : undefined;
}
