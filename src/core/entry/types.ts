import type {ServiceStatus} from '../checks/types.js';

export type Verb = 'status' | 'deploy' | 'restart' | 'rollback' | 'incident' | 'silence';

/** Every verb, in the order help and filters list them. */
export const VERBS: readonly Verb[] = ['status', 'deploy', 'restart', 'rollback', 'incident', 'silence'];

export type Outcome =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timed_out'
  | 'refused'
  | 'interrupted'
  /** The process that ran it ended (kill -9, power loss) before it could say how it went. */
  | 'unknown'
  /** An incident that is over: the service is up again. (An open incident is "running".) */
  | 'resolved';

export const OUTCOMES: readonly Outcome[] = ['running', 'succeeded', 'failed', 'timed_out', 'refused', 'interrupted', 'unknown', 'resolved'];

export interface Who {
  /** The OS account and host the run came from; from chat, the Slack user id and the host that answered. */
  user: string;
  host: string;
  /** In CI: who started the job (GITHUB_ACTOR, GITLAB_USER_LOGIN, …). */
  actor?: string;
  /** The person's Slack user id: saved by foggy login at a shell, or the one who typed it in chat. */
  slackUser?: string;
  /** From chat: the person's display name, for reading only (identity is the id). */
  name?: string;
}

export interface Where {
  kind: 'terminal' | 'ci' | 'chat';
  cwd: string;
  ci?: {name: string; url?: string};
  /** From chat: the channel it was typed in, and the workspace. */
  chat?: {channel: string; team: string};
  repository?: string;
  commit?: string;
  /** When the commit was made (its committer date), recorded by deploy for lead time. */
  committedAt?: string;
  branch?: string;
}

/**
 * One invocation of a verb: the unit that is journaled and mirrored.
 * Everything in it is already masked.
 */
export interface Entry {
  id: string;
  verb: Verb;
  services: string[];
  args: Record<string, string>;
  commandLine: string;
  /** What the action runs (argv rendered, or the shell string). */
  command?: string;
  who: Who;
  where: Where;
  reason?: string;
  /** A second person's approval (chat's confirmation): their Slack user id. */
  confirmedBy?: string;
  /** rollback: the entry of the deploy (or rollback) it undoes; its target's ref is args.ref, the undone one's args.from. */
  rollbackOf?: string;
  /** A deploy that failed: the earlier good deploy its message offers to go back to (a button foggy serve answers). */
  rollbackTo?: {entry: string; ref: string};
  /** deploy and restart: the lock held while the action ran: this machine's, or the team's lease with its fencing token (and why it was lost, when it was). */
  lock?: {kind: 'local' | 'postgres'; token?: number; lost?: string};
  channel?: string;
  catalog: string;
  pid: number;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  outcome: Outcome;
  exitCode?: number;
  summary?: string;
  /** status: per service and check (for many services, the failing ones; the full report is the output). */
  status?: ServiceStatus[];
  /** status: how many services were checked, up and down. */
  statusCounts?: {total: number; up: number; down: number};
  /** Captured output: size, and whether head and tail were all that was kept. */
  output?: {bytes: number; truncated: boolean};
  /**
   * incident: how the service is while the incident lasts, and how much it changed when flapping; when it opened
   * as a quiet time ended (a deploy's grace, a silence, a window), what that was ("since deploy v2 by alice …").
   */
  incident?: {
    state: 'down' | 'flapping';
    changes?: number;
    began?: string;
    /** Its message offers to silence the service from chat (foggy serve answers the buttons). */
    silenceable?: boolean;
    /** Silenced while it lasts: by whom, until when (its message says so, and offers no more buttons). */
    silenced?: {by: string; until: string; reason: string};
  };
  /** incident: Slack ids its first message mentions (people U…/W…, user groups S…). */
  mention?: string[];
  /** silence: the services it quiets, from when until when, and why; with `end`, the silence it ended early. */
  silence?: SilenceRecord;
}

export interface SilenceRecord {
  /** The silence: the id of the entry that set it. */
  id: string;
  services: string[];
  from: string;
  until: string;
  reason: string;
  /** This entry ended the silence before its time (or says it ended on time, when the watcher told the channel). */
  end?: 'early' | 'on time';
  /** Who set it, when this entry is its end. */
  setBy?: string;
}

export type EntryEnd = Pick<Entry, 'endedAt' | 'durationMs' | 'outcome' | 'exitCode' | 'summary' | 'status' | 'statusCounts' | 'output' | 'incident' | 'lock' | 'rollbackTo'>;
