import type {ServiceStatus} from '../checks/types.js';
import type {Remedy} from '../errors/remedy.js';
import type {ActionVerb} from '../catalog/types.js';
import type {Entry, Outcome} from '../entry/types.js';
import type {JournalEntry} from '../journal/journal.js';
import type {Counts, FourKeys, Week} from '../report/metrics.js';
import type {QuietTime} from '../report/quiet-time.js';

/**
 * What each use case returns: the typed result every front end renders (the CLI's --json adds what only a
 * shell needs: see src/cli/outputs.ts).
 */

/** The message a run would post, for --dry-run. */
export interface MessagePreview {
  /** Where it would go; undefined when runs stay in the local journal. */
  channel?: string;
  text: string;
  blocks: Record<string, unknown>[];
}

export interface StatusResult {
  ok: boolean;
  entry: string;
  outcome: Outcome;
  summary?: string;
  services: ServiceStatus[];
  permalink?: string;
}

export interface StatusDryRun {
  dryRun: true;
  entry: Entry;
  checks: {service: string; checks: unknown[]}[];
  message: MessagePreview;
}

/** A deploy or rollback a rollback names: the one it undoes, or the one it goes back to. */
export interface RollbackRun {
  id: string;
  verb: 'deploy' | 'rollback';
  ref?: string;
  outcome: Outcome;
  startedAt: number;
  who?: string;
}

/** What a rollback chose: the run it undoes (the service's current deploy) and the earlier one it deploys again. */
export interface RollbackPlan {
  of: RollbackRun;
  to: RollbackRun;
  /** Where the choice was read: the journal, the channel, the team's database. */
  read: string[];
}

export interface ActionResult {
  ok: boolean;
  entry: string;
  verb: ActionVerb;
  service: string;
  outcome: Outcome;
  durationMs?: number;
  summary?: string;
  output?: {bytes: number; truncated: boolean};
  permalink?: string;
  rollback?: RollbackPlan;
}

export interface ActionDryRun {
  dryRun: true;
  command: string[];
  shell: boolean;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  entry: Entry;
  /** Whether the run would stop to ask for the service's name (a protected service without --yes or --confirm). */
  confirmation: 'not needed' | 'given' | 'would ask';
  message: MessagePreview;
  rollback?: RollbackPlan;
}

export interface ServicesResult {
  catalog: string;
  services: {name: string; description?: string; protected: boolean; channel?: string; checks: {type: string; name: string; timeoutMs: number}[]; actions: Record<string, unknown>}[];
}

export interface LogResult {
  source: 'channel' | 'journal';
  channel?: string;
  /** From the journal, each with how far its delivery got. */
  entries: JournalEntry[];
  /** Messages in the channel that looked like entries but were not foggy's own: skipped, counted. */
  skipped?: number;
}

export interface LogShowResult {
  source: 'channel' | 'journal';
  entry: JournalEntry;
  /** The output the run kept (masked), when it kept any. */
  output?: string;
  permalink?: string;
}

export interface OutboxListResult {
  entries: (JournalEntry & {state: string})[];
  setAside: (JournalEntry & {reason: string; fix?: string; remedy?: Remedy})[];
}

export interface OutboxFlushResult {
  delivered: string[];
  messages: number;
  setAside: {id: string; code: string}[];
  remaining: number;
  setAsideTotal: number;
  busy: boolean;
  error?: {code: string; hint?: string; remedy?: Remedy};
}

export interface OutboxRetryResult {
  ok: boolean;
  entry: string;
  error?: {code: string; hint?: string; remedy?: Remedy};
}

export interface OutboxDropResult {
  ok: true;
  dropped: string;
}

export interface DoctorResult {
  ok: boolean;
  findings: Finding[];
}

export interface LoginResult {
  ok: true;
  team: string;
  user: string;
  channel?: string;
  file: string;
  /** The person's Slack user id, when found or given. */
  slackUser?: string;
}

export interface LogoutResult {
  ok: true;
  removed: boolean;
  file: string;
}

export interface ReportResult {
  source: 'channel' | 'journal';
  channel?: string;
  /** The period reported, in UTC: [from, to). */
  period: {from: string; to: string; days: number};
  /** How far back history was read (before the period: incidents open at its start), and how many entries. */
  read: {since: string; entries: number};
  /** Services reported ([] with none named: all). */
  services: string[];
  overall: FourKeys;
  perService: ({service: string} & FourKeys)[];
  counts: Counts & {skipped: Skipped};
  weeks: Week[];
  /** How each key is counted, in words. */
  /** Planned downtime in the period, counted apart from the keys, and the incidents left out for it. */
  quiet: QuietTime;
  rules: {deploymentFrequency: string; leadTime: string; changeFailureRate: string; timeToRestore: string; quiet: string};
}

/** Entries a key does not count, and why. */
export interface Skipped {
  /** Deploys and restarts refused before they ran (locked, not confirmed, not allowed). */
  refused: number;
  /** Deploys whose outcome is unknown (the process died mid-run). */
  unknownOutcome: number;
  /** Deploys still running at the period's end. */
  running: number;
  /** Unreadable journal lines, or channel messages that were not foggy's or lacked an entry's shape. */
  malformed: number;
  /** The same entry read more than once (a message and a digest, two journals): counted once. */
  duplicates: number;
  /** Dry runs are never recorded, so never counted. */
  dryRuns: 0;
}

/** One thing doctor checked: what, whether it is fine, what it saw, and how to fix it. */
export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
  /** How to fix it, in plain words. */
  fix?: string;
  /** What to do, for the front end to phrase (after the plain words). */
  remedies?: Remedy[];
}

export interface SilenceShown {
  id: string;
  services: string[];
  from: string;
  until: string;
  reason: string;
  who: string;
  /** How much of it is left, in milliseconds (0 once over). */
  leftMs: number;
  /** Ended before its time: by whom, when. */
  ended?: {by: string; at: string};
  /** Set from an incident message's button: that incident. */
  incident?: string;
}

export interface SilenceResult {
  ok: boolean;
  entry: string;
  silence: SilenceShown;
  summary?: string;
  permalink?: string;
}

export interface SilenceDryRun {
  dryRun: true;
  silence: Omit<SilenceShown, 'id'>;
  entry: Entry;
  message: MessagePreview;
}

export interface SilenceList {
  silences: SilenceShown[];
}
