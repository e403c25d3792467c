import {connect} from 'node:net';
import type {TcpCheck} from '../catalog/types.js';
import type {ProbeOutcome} from './types.js';

export function probeTcp(check: TcpCheck, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: check.host, port: check.port, signal});
    socket.once('connect', () => {
      socket.destroy();
      resolve({ok: true, detail: `connected to ${check.host}:${check.port}`});
    });
    socket.once('error', reject);
  });
}
