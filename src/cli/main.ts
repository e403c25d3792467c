// What bin/run.js starts: oclif is bundled with the commands, so it must come from the bundle too
// (one copy of its classes and settings, shared with every command).
import {Config, handle, run} from '@oclif/core';
import {usageError} from '../core/errors/foggy-error.js';
import {printableBlock} from '../core/text/printable.js';
import {closest} from '../core/text/suggest.js';
import {exitCodeForFailure} from './exit-codes.js';
import {classify} from './failure.js';
import {cliPhrase} from './phrases.js';
import {lighterVerb, rootOf, runVerb} from './verb-path.js';

// `foggy log | head -1`: once the reader is gone, further output goes nowhere, quietly; the command itself
// finishes (an action is never left half-done because nobody reads its output any more).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    // Writers that wait for their callback (oclif's help) are told the write is done.
    stream.write = ((...args: unknown[]) => {
      const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      if (callback) queueMicrotask(callback);
      return true;
    }) as typeof stream.write;
  });
}

// Node's own warnings (a timer that overflows, a deprecation inside a dependency) are not the user's business:
// shown with FOGGY_DEBUG only. Whatever the input, foggy says what is wrong in its own words.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (process.env.FOGGY_DEBUG) process.stderr.write(`foggy:debug ${warning.name}: ${warning.message}\n`);
});

// An error no command caught (an event nobody listened to): one line, the documented exit code, no stack
// trace unless FOGGY_DEBUG asks for one.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    const failure = classify(error);
    const {message, hint} = cliPhrase(failure);
    process.stderr.write(`Error: ${printableBlock(message)}\n${hint ? `${printableBlock(hint)}\n` : ''}`);
    if (process.env.FOGGY_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(exitCodeForFailure(failure.kind));
  });
}

export async function execute(options: {dir: string}): Promise<void> {
  const argv = process.argv.slice(2);
  const verb = lighterVerb(argv);
  if (verb) {
    try {
      await runVerb(verb, argv, rootOf(options.dir));
    } catch (error) {
      await handle(error as Error);
    }
    return;
  }
  try {
    // No oclif flush(): it waits for a 'drain' that never comes once the reader is gone, and Node writes
    // out what is buffered for a pipe before it exits anyway.
    await run(argv, options.dir);
  } catch (error) {
    const unknown = /^command (.+) not found$/.exec((error as Error).message ?? '');
    if (!unknown) return handle(error as Error);
    await unknownCommand(unknown[1], argv, options.dir);
  }
}

/** An unknown command is a usage error like any other: one line, a suggestion, exit 2, and JSON with --json. */
async function unknownCommand(id: string, argv: string[], dir: string): Promise<void> {
  const config = await Config.load(dir);
  const typed = id.split(':').join(' ');
  const ids = config.commandIDs.map((command) => command.split(':').join(' '));
  const guess = closest(typed, ids)[0];
  const error = usageError(`Unknown command "${typed}"${guess ? `; did you mean "${guess}"?` : '.'}`, `Run "${config.bin} help" to list the commands.`);
  const exitCode = exitCodeForFailure(error.kind);
  process.stderr.write(`Error: ${printableBlock(error.message)}\n${error.hint}\n`);
  if (argv.includes('--json')) process.stdout.write(JSON.stringify({ok: false, error: {message: error.message, hint: error.hint, exitCode}}, null, 2) + '\n');
  process.exitCode = exitCode;
}
