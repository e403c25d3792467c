// What bin/run.js starts: oclif is bundled with the commands, so it must come from the bundle too
// (one copy of its classes and settings, shared with every command).
export {execute} from '@oclif/core';

// `foggy log | head -1`: once the reader is gone, further output goes nowhere, quietly; the command itself
// finishes (an action is never left half-done because nobody reads its output any more).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = (() => true) as typeof stream.write;
  });
}
