import {environmentFailure} from './environment.js';
import {FoggyError, internalFailure} from './foggy-error.js';

/**
 * Any error, as a FoggyError a front end can phrase: the core's own as they are; one no use case put in words
 * is the environment's (a full disk, a read-only directory, too many open files: named with its path) or a bug.
 */
export function asFoggyError(error: unknown, places: {state: string; config: string; cache: string; temp: string}): FoggyError {
  if (error instanceof FoggyError) return error;
  return environmentFailure(error, places) ?? internalFailure(error);
}
