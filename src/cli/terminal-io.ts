import {createInterface} from 'node:readline/promises';
import type {AppIo} from '../core/app/io.js';
import {phraseAdvice} from './phrases.js';
import type {Ui} from './ui.js';

/**
 * The use cases' IO on a terminal: notes on stderr (with what to do, in the shell's words), an action's
 * output on stdout (stderr with --json, so stdout holds nothing but the result), questions only when stdin
 * is a terminal.
 */
export function terminalIo(ui: Ui, options: {json: boolean}): AppIo {
  return {
    note: (line, ...remedies) => ui.note(phraseAdvice(line, remedies)!),
    warn: (line, ...remedies) => ui.warn(phraseAdvice(line, remedies)!),
    output: (chunk, stream) => (options.json || stream === 'stderr' ? ui.streams.stderr : ui.streams.stdout).write(chunk),
    async ask(question) {
      if (!ui.streams.stdin.isTTY) return undefined;
      const prompt = createInterface({input: ui.streams.stdin, output: ui.streams.stderr as NodeJS.WritableStream});
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
    progress: (text, work) => ui.spin(text, work),
  };
}
