/**
 * What a person can do about a problem, said by what it is, not how to type it: each front end phrases it
 * its own way (a shell names the command or the flag, chat the slash command or what an admin must do).
 */
export type Remedy =
  /**
   * Connect foggy to Slack with a bot token. `because` says what is wrong now: the Slack error code of the token
   * in use (invalid_auth, token_revoked, missing_scope …), scopes_missing when doctor found the token lacks some,
   * or local_only when runs are recorded on this machine only.
   */
  | {do: 'connect'; because?: string}
  /** Write the stored settings again (their file is broken). */
  | {do: 'rewrite-settings'}
  /** Choose a default channel (none is set anywhere). */
  | {do: 'choose-channel'}
  /** List the recorded entries and their ids. */
  | {do: 'list-entries'}
  /** List the silences in force and their ids. */
  | {do: 'list-silences'}
  /** Look at the outbox: to deliver what waits, to retry or drop what Slack refused, or now rather than later. */
  | {do: 'see-outbox'; then: 'deliver' | 'retry-or-drop' | 'flush-now' | 'list-ids'}
  /** Check the whole set-up again once fixed. */
  | {do: 'check-setup'}
  /** Give (or fix) a value the request needs: `field` as the core names it (ref, reason, service …), and a value for example. */
  | {do: 'give'; field: string; example?: string}
  /** Wait for the service's lock instead of being refused. */
  | {do: 'wait'}
  /** Confirm a protected service without being asked. */
  | {do: 'confirm'; service: string}
  /** Point foggy at its catalog, or create one. */
  | {do: 'point-catalog'}
  /** Stop the other long-running process, or give this one a state directory of its own. */
  | {do: 'stop-other'};

/** A one-line note for the person, with what they can do about it (each front end phrases the remedies). */
export type Note = (line: string, ...remedies: Remedy[]) => void;
