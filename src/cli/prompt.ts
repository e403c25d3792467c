import {createInterface} from 'node:readline';
import type {Streams} from './ui.js';

/** Asks for a secret on the terminal without echoing it. */
export function readSecret(question: string, streams: Streams): Promise<string> {
  return new Promise((resolve) => {
    const prompt = createInterface({input: streams.stdin, output: streams.stderr as NodeJS.WritableStream, terminal: true});
    streams.stderr.write(question);
    // Keep readline from echoing the typed characters.
    (prompt as unknown as {_writeToOutput: (text: string) => void})._writeToOutput = () => {};
    prompt.question('', (answer) => {
      streams.stderr.write('\n');
      prompt.close();
      resolve(answer.trim());
    });
  });
}
