import type {Remedy} from '../errors/remedy.js';

/**
 * What a use case may say to the person running it, and ask them. Injected, so the same use case serves a
 * terminal, a test, and a chat thread.
 */
export interface AppIo {
  /** A one-line note (stderr on a terminal), with what the person can do about it. */
  note(line: string, ...remedies: Remedy[]): void;
  /** A warning: something the person should act on. */
  warn(line: string, ...remedies: Remedy[]): void;
  /** An action's live output, as it comes. */
  output(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
  /**
   * Asks the person to type `expected` to go on; resolves to what they typed, or undefined when nobody can be
   * asked (no terminal).
   */
  ask(question: string): Promise<string | undefined>;
  /** Wraps a wait the person may watch (a spinner on a terminal). */
  progress<T>(text: string, work: () => Promise<T>): Promise<T>;
}

/** Says nothing and can ask nobody: for scripts and tests that only want the result. */
export const silentIo: AppIo = {
  note() {},
  warn() {},
  output() {},
  async ask() {
    return undefined;
  },
  progress: (_text, work) => work(),
};
