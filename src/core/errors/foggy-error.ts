import type {Remedy} from './remedy.js';

/**
 * What kind of failure it is, for each front end to report its own way (a shell as an exit code, chat as
 * the tone of its answer):
 * - usage: the request or the set-up is not valid; nothing ran;
 * - refused: valid, but not allowed now (not confirmed, locked, the team's database away); nothing ran;
 * - failed: the operation was tried and did not work;
 * - interrupted: stopped by the person (Ctrl-C) or the server stopping;
 * - internal: a bug in foggy, never the outcome of an operation.
 */
export type FailureKind = 'usage' | 'refused' | 'failed' | 'interrupted' | 'internal';

/**
 * What a failure is, for a front end to phrase its own way: a shell says which flag to pass, a chat front
 * end how to write it in a message. The message is a plain sentence either can show; the code and data
 * let each add its own words.
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
  /** The typed confirmation was not the service's name: data {service}. */
  | 'confirmation_declined'
  /** The team's coordination database could not be reached, and the lock is the team's. */
  | 'coordination_unreachable'
  /** A long-running process (watch, serve) already runs on this state directory: data {what, holder}. */
  | 'already_running'
  /** A rollback has nothing to go back to (no deploy, none earlier that succeeded): data {service, reason}. */
  | 'nothing_to_roll_back'
  /** The deploy to go back to names no ref: data {service, entry}. */
  | 'rollback_ref_unknown'
  /** The --to of a rollback names no deploy of the service: data {service, to}. */
  | 'rollback_target_unknown'
  /** The --to of a rollback names a deploy that did not succeed: data {service, to, entry}. */
  | 'rollback_target_not_good'
  /** The --to of a rollback names the current deploy or a later one: data {service, to, entry}. */
  | 'rollback_target_not_earlier'
  /** The --to of a rollback is the start of several entries' ids: data {service, to}. */
  | 'rollback_target_ambiguous'
  /** The service was deployed again after the one a rollback was asked to undo: data {service, of, current}. */
  | 'deployed_since'
  /** A bug in foggy, not a failed operation: each front end says how to see more. */
  | 'internal'
  | 'other';

export interface FoggyErrorOptions {
  kind?: FailureKind;
  code?: ErrorCode;
  data?: Record<string, unknown>;
  /** Advice in plain words that hold whoever reads them ("Free some space there, or set XDG_STATE_HOME …"). */
  hint?: string;
  /** What to do, for the front end to phrase (log in, pass a ref, wait …). */
  remedy?: Remedy;
  cause?: unknown;
}

/**
 * The one error type the core throws for problems a person can fix. It says what kind of failure it is,
 * never how a front end reports it: exit codes and commands to type belong to the front ends.
 */
export class FoggyError extends Error {
  readonly kind: FailureKind;
  readonly code: ErrorCode;
  readonly data: Record<string, unknown>;
  readonly hint?: string;
  readonly remedy?: Remedy;

  constructor(message: string, options: FoggyErrorOptions = {}) {
    super(message, {cause: options.cause});
    this.name = 'FoggyError';
    this.kind = options.kind ?? 'usage';
    this.code = options.code ?? 'other';
    this.data = options.data ?? {};
    this.hint = options.hint;
    this.remedy = options.remedy;
  }
}

export const usageError = (message: string, advice?: string | Remedy) => new FoggyError(message, {kind: 'usage', ...adviceOption(advice)});
export const refusal = (message: string, advice?: string | Remedy) => new FoggyError(message, {kind: 'refused', ...adviceOption(advice)});

/** A value given for `field` (ref, reason, channel …; a front end names it its own way) that is not valid. */
export const inputError = (field: string, problem: string, hint?: string) => new FoggyError(`${field}: ${problem}`, {kind: 'usage', hint, code: 'invalid_input', data: {field, problem}});

/** A bug, not a failed operation: its first line; the front end adds how to see more. */
export function internalFailure(error: unknown): FoggyError {
  const message = error instanceof Error ? error.message : String(error);
  return new FoggyError(`foggy hit an internal error: ${message.split('\n')[0]}`, {kind: 'internal', code: 'internal', cause: error});
}

function adviceOption(advice: string | Remedy | undefined): Pick<FoggyErrorOptions, 'hint' | 'remedy'> {
  if (advice === undefined) return {};
  return typeof advice === 'string' ? {hint: advice} : {remedy: advice};
}
