import {createRequire} from 'node:module';
import {releaseDescriptors, whenDescriptorsFree} from '../file-descriptors.js';
import type {CheckKind} from './kind.js';
import type {TcpCheck} from '../check-types.js';

const load = createRequire(import.meta.url);

/** `tcp: host:port`: the service is up when a connection opens. */
export const tcpKind: CheckKind<TcpCheck> = {
  type: 'tcp',
  key: 'tcp',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: {type: 'string'},
      tcp: {type: 'string', pattern: String.raw`^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$`, description: 'host:port'},
      timeout: {$ref: '#/definitions/duration'},
    },
  },
  variables: {keys: ['tcp']},

  normalise(raw, {path, located, timeoutMs}) {
    const target = raw.tcp as string;
    const separator = target.lastIndexOf(':');
    const host = target.slice(0, separator).replace(/^\[(.*)]$/, '$1');
    const port = Number(target.slice(separator + 1));
    if (port < 1 || port > 65_535) throw located([...path, 'tcp'], `expected a port from 1 to 65535 (got ${port})`);
    return {type: 'tcp', name: (raw.name as string | undefined) ?? target, host, port, timeoutMs};
  },

  secrets: () => [],

  probe(check, deadline, _context, settle) {
    whenDescriptorsFree(1, () => {
      if (deadline.aborted) {
        releaseDescriptors(1);
        return settle(deadline.reason);
      }
      const {connect} = load('node:net') as typeof import('node:net');
      const socket = connect({host: check.host, port: check.port});
      let over = false;
      const finish = (error: unknown, connected: boolean) => {
        if (over) return;
        over = true;
        stop();
        socket.destroy();
        releaseDescriptors(1);
        if (connected) settle(undefined, {ok: true, detail: `connected to ${check.host}:${check.port}`});
        else settle(error);
      };
      const stop = deadline.onAbort(() => finish(deadline.reason, false));
      socket.once('connect', () => finish(undefined, true));
      socket.once('error', (error) => finish(error, false));
    });
  },
};
