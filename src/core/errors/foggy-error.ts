import {ExitCode, type ExitCodeValue} from '../../cli/exit-codes.js';

/**
 * What a failure is, for a front end to phrase its own way: a shell says which flag to pass, a chat front
 * end how to write it in a message. The message is a plain sentence either can show; the code and data
 * let each add its own hint.
 */
export type ErrorCode =
  /** A value the person gave is not valid: data {field, problem}. */
  | 'invalid_input'
  /** No catalog was found: data {from}. */
  | 'catalog_not_found'
  /** The action uses {ref} and none was given: data {verb, service}. */
  | 'ref_required'
  /** Another deploy or restart of the service holds its lock: data {service, verb, waitedMs}. */
  | 'service_locked'
  /** A protected service, and nobody to confirm it: data {service, verb}. */
  | 'confirmation_required'
  /** The confirmation named another service: data {given, service}. */
  | 'confirmation_mismatch'
  /** The team's coordination database could not be reached, and the lock is the team's. */
  | 'coordination_unreachable'
  /** A bug in foggy, not a failed operation: each front end says how to see more. */
  | 'internal'
  | 'other';

/**
 * The one error type the core throws for problems a user can fix.
 * It carries the exit code, so the command layer only has to print the message.
 */
export class FoggyError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;

  constructor(message: string, options: {exitCode?: ExitCodeValue; hint?: string; cause?: unknown; code?: ErrorCode; data?: Record<string, unknown>} = {}) {
    super(message, {cause: options.cause});
    this.name = 'FoggyError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
    this.code = options.code ?? 'other';
    this.data = options.data ?? {};
  }
}

export const usageError = (message: string, hint?: string) => new FoggyError(message, {exitCode: ExitCode.usage, hint});
export const refusal = (message: string, hint?: string) => new FoggyError(message, {exitCode: ExitCode.refused, hint});

/** A value given for `field` (ref, reason, channel …; a front end names it its own way) that is not valid. */
export const inputError = (field: string, problem: string, hint?: string) => new FoggyError(`${field}: ${problem}`, {exitCode: ExitCode.usage, hint, code: 'invalid_input', data: {field, problem}});

/** A bug, not a failed operation: its own exit code, its first line; the front end adds how to see more. */
export function internalFailure(error: unknown): FoggyError {
  const message = error instanceof Error ? error.message : String(error);
  return new FoggyError(`foggy hit an internal error: ${message.split('\n')[0]}`, {exitCode: ExitCode.internal, code: 'internal', cause: error});
}
