import {inputError} from '../errors/foggy-error.js';
import {formatCount} from '../text/count.js';

/** What a user may type into a run, checked before anything runs: a mistake is exit 2, not a strange entry. */
export const MAX_REF_LENGTH = 256;
export const MAX_REASON_LENGTH = 1000;
export const MAX_LOG_LIMIT = 10_000;
const CHANNEL = /^(#[a-z0-9_-][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/;

/** A channel as a front end gave it (`field` names where: the channel option, FOGGY_CHANNEL …). */
export function checkChannel(channel: string | undefined, field = 'channel'): void {
  if (channel !== undefined && !CHANNEL.test(channel)) throw inputError(field, `expected a channel as #name (lower-case) or an id such as C0123456789, not ${JSON.stringify(channel)}`);
}

export function checkText(value: string | undefined, field: string, max: number): void {
  if (value === undefined) return;
  if (value.length > max) throw inputError(field, `at most ${formatCount(max)} characters (got ${formatCount(value.length)})`);
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) throw inputError(field, 'control characters are not allowed');
}
