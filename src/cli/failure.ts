import {asFoggyError} from '../core/errors/classify.js';
import type {FoggyError} from '../core/errors/foggy-error.js';
import {foggyPlaces} from '../core/platform/paths.js';

// Small on purpose: bin/run.js's last resort (an error no command caught) loads this before any command, so
// `foggy --version` must not pull in the core through it.

/** Any error as the core's kind of failure: the environment's (named with its path), or a bug in foggy. */
export function classify(error: unknown, env: NodeJS.ProcessEnv = process.env): FoggyError {
  return asFoggyError(error, foggyPlaces(env));
}
