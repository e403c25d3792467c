import {Readable} from 'node:stream';
import {createUi, type Output, type Ui} from '../../src/cli/ui.js';

/** What a command wrote, for tests: a Ui on buffers, no colour, no terminal, stdin as given. */
export interface TestUi extends Ui {
  stdout(): string;
  stderr(): string;
}

export function testUi(options: {stdin?: string; tty?: boolean} = {}): TestUi {
  const buffer = (): Output & {text: string} => ({
    text: '',
    isTTY: options.tty ?? false,
    write(chunk: string | Uint8Array) {
      this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  });
  const stdout = buffer();
  const stderr = buffer();
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]), {isTTY: options.tty ?? false});
  const ui = createUi({NO_COLOR: '1'}, {stdout, stderr, stdin});
  return {...ui, stdout: () => stdout.text, stderr: () => stderr.text};
}
