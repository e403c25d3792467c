import type {Check} from '../check-types.js';
import {commandKind} from './command.js';
import {dnsKind} from './dns.js';
import {httpKind} from './http.js';
import type {CheckKind, RawCheck} from './kind.js';
import {tcpKind} from './tcp.js';

/** The kinds of checks, in the order a raw check's keys are tried: the one registry every other place reads. */
export const CHECK_KINDS = [httpKind, tcpKind, dnsKind, commandKind] as const;

export type {Check, CheckType, CommandCheck, DnsCheck, HttpCheck, TcpCheck} from '../check-types.js';

const byType = new Map<string, CheckKind<Check>>(CHECK_KINDS.map((kind) => [kind.type, kind as unknown as CheckKind<Check>]));

/** The kind of a normalised check. */
export function kindOf(check: Check): CheckKind<Check> {
  return byType.get(check.type)!;
}

/** The kind a raw check of foggy.yml is, by the key it has (the schema made sure it has one). */
export function kindFor(raw: RawCheck): CheckKind<Check> | undefined {
  return CHECK_KINDS.find((kind) => typeof raw[kind.key] === 'string' || Array.isArray(raw[kind.key])) as CheckKind<Check> | undefined;
}

/** The schema's definitions for checks: `check` (one of the kinds, by its key), and each kind's own. */
export function checkDefinitions(): Record<string, unknown> {
  const name = (kind: {type: string}) => `${kind.type}Check`;
  const keys = CHECK_KINDS.map((kind) => kind.key);
  return {
    check: {
      type: 'object',
      description: `a check: an object with one of the keys ${keys.slice(0, -1).join(', ')} or ${keys.at(-1)}`,
      anyOf: keys.map((key) => ({required: [key]})),
      allOf: CHECK_KINDS.map((kind) => ({if: {required: [kind.key]}, then: {$ref: `#/definitions/${name(kind)}`}})),
    },
    ...Object.fromEntries(CHECK_KINDS.map((kind) => [name(kind), kind.schema])),
  };
}
