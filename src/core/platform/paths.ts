import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';

/** XDG base directories, as every well-behaved CLI on Linux uses them. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'foggy');
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'foggy');
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'foggy');
}

/** Where foggy keeps its files, for saying which variable moves a path that cannot be written. */
export function foggyPlaces(env: NodeJS.ProcessEnv = process.env): {state: string; config: string; cache: string; temp: string} {
  return {state: stateDir(env), config: configDir(env), cache: cacheDir(env), temp: tmpdir()};
}
