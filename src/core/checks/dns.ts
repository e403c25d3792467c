import {lookup} from 'node:dns/promises';
import type {DnsCheck} from '../catalog/types.js';
import type {ProbeOutcome} from './types.js';

export async function probeDns(check: DnsCheck): Promise<ProbeOutcome> {
  // lookup() uses the system resolver (getaddrinfo), as every other program on the host does.
  const addresses = (await lookup(check.hostname, {all: true})).map((entry) => entry.address);
  const shown = addresses.join(', ');
  if (check.expect && !check.expect.some((address) => addresses.includes(address))) {
    return {ok: false, detail: `${check.hostname} resolves to ${shown}, expected ${check.expect.join(' or ')}`};
  }
  return {ok: true, detail: `${check.hostname} → ${shown}`};
}
