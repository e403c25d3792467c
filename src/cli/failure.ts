import {FoggyError, internalFailure} from '../core/errors/foggy-error.js';
import {environmentFailure} from '../core/errors/environment.js';
import {foggyPlaces} from '../core/platform/paths.js';

// Small on purpose: bin/run.js's last resort (an error no command caught) loads this before any command, so
// `foggy --version` must not pull in the core through it.

/**
 * An error no use case put in words: the environment's (a full disk, a read-only directory, too many open
 * files: one line naming the path, exit 2), or a bug in foggy.
 */
export function classify(error: unknown): FoggyError {
  return environmentFailure(error, foggyPlaces(process.env)) ?? internalError(error);
}

/** A bug, not a failed operation: said as such, with its own exit code and the way to see more. */
export function internalError(error: unknown): FoggyError {
  const failure = internalFailure(error);
  return new FoggyError(failure.message, {
    exitCode: failure.exitCode,
    code: failure.code,
    hint: 'This is a bug in foggy, not a failure of the operation. Run again with FOGGY_DEBUG=1 for details, and report it.',
    cause: error,
  });
}
