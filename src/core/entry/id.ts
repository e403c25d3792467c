import {randomBytes} from 'node:crypto';

/** Time-ordered and unique across hosts: milliseconds in base 36, then 48 random bits. */
export function newEntryId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}
