import {ExitCode, type ExitCodeValue} from './exit-codes.js';

/**
 * The one error type the core throws for problems a user can fix.
 * It carries the exit code, so the command layer only has to print the message.
 */
export class FoggyError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;

  constructor(message: string, options: {exitCode?: ExitCodeValue; hint?: string; cause?: unknown} = {}) {
    super(message, {cause: options.cause});
    this.name = 'FoggyError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

export const usageError = (message: string, hint?: string) => new FoggyError(message, {exitCode: ExitCode.usage, hint});
export const refusal = (message: string, hint?: string) => new FoggyError(message, {exitCode: ExitCode.refused, hint});
