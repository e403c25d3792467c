import {createRequire} from 'node:module';
import type {CheckKind} from './kind.js';
import {settleWithin} from './settle.js';
import type {DnsCheck} from '../check-types.js';

const load = createRequire(import.meta.url);

/** `dns: name`: the name resolves (to one of the expected addresses, when given). */
export const dnsKind: CheckKind<DnsCheck> = {
  type: 'dns',
  key: 'dns',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: {type: 'string'},
      dns: {type: 'string', minLength: 1, description: 'a host name that must resolve'},
      expect: {type: 'array', items: {type: 'string'}, description: 'addresses the name must resolve to (any of them)'},
      timeout: {$ref: '#/definitions/duration'},
    },
  },
  variables: {keys: ['dns']},

  normalise(raw, {timeoutMs}) {
    const hostname = raw.dns as string;
    return {type: 'dns', name: (raw.name as string | undefined) ?? `dns ${hostname}`, hostname, expect: raw.expect as string[] | undefined, timeoutMs};
  },

  secrets: () => [],

  // getaddrinfo cannot be cancelled: the lookup may outlive the deadline, the check does not.
  probe(check, deadline, _context, settle) {
    settleWithin(() => resolve(check), deadline, settle);
  },
};

async function resolve(check: DnsCheck) {
  const {lookup} = load('node:dns/promises') as typeof import('node:dns/promises');
  // lookup() uses the system resolver (getaddrinfo), as every other program on the host does.
  const addresses = (await lookup(check.hostname, {all: true})).map((entry) => entry.address);
  const shown = addresses.join(', ');
  if (check.expect && !check.expect.some((address) => addresses.includes(address))) {
    return {ok: false, detail: `${check.hostname} resolves to ${shown}, expected ${check.expect.join(' or ')}`};
  }
  return {ok: true, detail: `${check.hostname} → ${shown}`};
}
