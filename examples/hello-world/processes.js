// Starting and stopping the example's servers, shared by the demo and the restart script.
import {spawn} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer} from 'node:net';
import {join} from 'node:path';
import {exampleDir} from './state.js';

export function startDetached(script, pidFile) {
  const child = spawn(process.execPath, [join(exampleDir, script)], {detached: true, stdio: 'ignore'});
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  return child.pid;
}

export function stop(pidFile) {
  let pid;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return false;
  }
  rmSync(pidFile, {force: true});
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

export function portOpen(port) {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port});
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPort(port, open = true, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await portOpen(port)) === open) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** A port nobody listens on now: the system picks one. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}
