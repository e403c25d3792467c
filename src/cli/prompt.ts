import {createInterface} from 'node:readline';

/** Asks for a secret on the terminal without echoing it. */
export function readSecret(question: string): Promise<string> {
  return new Promise((resolve) => {
    const prompt = createInterface({input: process.stdin, output: process.stderr, terminal: true});
    process.stderr.write(question);
    // Keep readline from echoing the typed characters.
    (prompt as unknown as {_writeToOutput: (text: string) => void})._writeToOutput = () => {};
    prompt.question('', (answer) => {
      process.stderr.write('\n');
      prompt.close();
      resolve(answer.trim());
    });
  });
}
