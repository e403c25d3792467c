import {connect} from 'node:net';
import type {TcpCheck} from '../catalog/types.js';
import type {Cancellation} from './deadline.js';
import type {ProbeOutcome} from './types.js';

export function probeTcp(check: TcpCheck, deadline: Cancellation): Promise<ProbeOutcome> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: check.host, port: check.port});
    const stop = deadline.onAbort(() => {
      socket.destroy();
      reject(deadline.reason);
    });
    socket.once('connect', () => {
      stop();
      socket.destroy();
      resolve({ok: true, detail: `connected to ${check.host}:${check.port}`});
    });
    socket.once('error', (error) => {
      stop();
      reject(error);
    });
  });
}
