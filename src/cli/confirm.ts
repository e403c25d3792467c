import {createInterface} from 'node:readline/promises';
import {refusal} from '../core/errors.js';

/**
 * Protected services need proof of intent: on a terminal, the service name typed back
 * (as heroku does for destructive commands); elsewhere, --yes.
 * Returns nothing when confirmed; throws a refusal (exit 3) otherwise.
 */
export async function confirmProtected(service: string, verb: string, options: {yes: boolean}): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY) {
    throw refusal(`${service} is protected: ${verb} needs confirmation, and there is no terminal to ask.`, `Pass --yes to confirm non-interactively.`);
  }
  const prompt = createInterface({input: process.stdin, output: process.stderr});
  try {
    const answer = await prompt.question(`${service} is protected. Type the service name to ${verb} it: `);
    if (answer.trim() !== service) throw refusal(`Confirmation did not match "${service}"; nothing ran.`);
  } finally {
    prompt.close();
  }
}
