import {spawn, type ChildProcess} from 'node:child_process';
import {FOGGY, type Sandbox} from './cli.js';

/**
 * foggy run as if on another machine: its own host name (a UTS namespace: `unshare -u`, or `unshare -r -u`
 * without root) and its own sandbox (state directory, journal, local locks). What it shares with the other
 * "hosts" is only what a team shares: the database and the Slack channel.
 */
export function spawnOnHost(host: string, sandbox: Sandbox, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const unshare = process.getuid?.() === 0 ? ['-u'] : ['-r', '-u'];
  return spawn('unshare', [...unshare, 'sh', '-c', 'hostname "$1" && shift && exec "$@"', 'sh', host, process.execPath, FOGGY, ...args], {
    cwd: sandbox.dir.path,
    env: {...sandbox.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
