import type {Outcome} from '../core/entry/types.js';
import type {FailureKind} from '../core/errors/foggy-error.js';

/** The exit codes foggy promises to scripts; documented in the README and in every verb's --help. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  /** A bug in foggy (an unexpected internal error), never the outcome of an operation. */
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `EXIT CODES
  0    the operation succeeded (every check up; the action exited 0)
  1    the operation failed (a check down; the action exited non-zero or timed out)
  2    usage or configuration error: nothing ran
  3    refused (confirmation missing or declined, the service locked by another deploy or restart,
       the team's coordination database unreachable, strict mirror unreachable): nothing ran
  70   foggy hit an internal error (a bug): run again with FOGGY_DEBUG=1 for details
  130  interrupted (SIGINT/SIGTERM); the entry says so`;

/** What a shell sees for an outcome: the entry records it too. Undefined while running, or when nobody knows. */
export function exitCodeForOutcome(outcome: Outcome): ExitCodeValue | undefined {
  switch (outcome) {
    case 'succeeded':
    case 'resolved': {
      return ExitCode.ok;
    }
    case 'failed':
    case 'timed_out': {
      return ExitCode.failed;
    }
    case 'refused': {
      return ExitCode.refused;
    }
    case 'interrupted': {
      return ExitCode.interrupted;
    }
    default: {
      return undefined;
    }
  }
}

/** What a shell sees for a failure the core reported. */
export function exitCodeForFailure(kind: FailureKind): ExitCodeValue {
  return {usage: ExitCode.usage, refused: ExitCode.refused, failed: ExitCode.failed, interrupted: ExitCode.interrupted, internal: ExitCode.internal}[kind];
}
