/** The catalog after validation and normalisation: durations are milliseconds, names are filled in. */

export type {CommandLine} from '../actions/types.js';
import type {MaintenanceWindow} from '../quiet/maintenance.js';
import type {CommandLine} from '../actions/types.js';

// Each kind of check has its own normalised form (src/core/checks/check-types.ts).
export type {Check, CommandCheck, DnsCheck, HttpCheck, TcpCheck} from '../checks/check-types.js';
import type {Check} from '../checks/check-types.js';

/** The verbs that run a service's action: rollback runs its own action when it has one, else deploy's with the earlier ref. */
export type ActionVerb = 'deploy' | 'restart' | 'rollback';
export const ACTION_VERBS: readonly ActionVerb[] = ['deploy', 'restart', 'rollback'];

export interface Action {
  run: CommandLine;
  timeoutMs: number;
  env: Record<string, string>;
}

/** foggy watch's settings for a service (the catalog's, overridden by the service's own). */
export interface WatchSettings {
  intervalMs: number;
  /** Consecutive failed rounds before the service is declared down. */
  downAfter: number;
  /** Consecutive good rounds before it is declared up again. */
  upAfter: number;
  /** How often a reminder goes into an open incident's thread; 0: never. */
  remindMs: number;
  /** More result changes than this within the window: flapping. */
  flapping: {changes: number; windowMs: number};
  /** After a deploy or restart that succeeded, how long the service may take to come up (0: none). */
  graceAfterActionMs: number;
}

/** The verbs a chat front end answers; help needs no permission. */
export type ChatVerb = 'status' | 'deploy' | 'restart' | 'rollback' | 'log' | 'silence';
export const CHAT_VERBS: readonly ChatVerb[] = ['status', 'deploy', 'restart', 'rollback', 'log', 'silence'];

/** Who may: everyone in the app's workspace, or these Slack ids (people U…/W…, user groups S…). */
export type ChatRule = 'everyone' | string[];
export type ChatAllow = Partial<Record<ChatVerb, ChatRule>>;

export interface Service {
  name: string;
  description?: string;
  protected: boolean;
  channel?: string;
  checks: Check[];
  actions: Partial<Record<ActionVerb, Action>>;
  watch: WatchSettings;
  /** Services this one needs: while one is down, this one raises no alert of its own. */
  dependsOn: string[];
  /** Slack ids an incident's first message mentions (people U…/W…, user groups S…). */
  mention: string[];
  /** From chat: this service's own rules (verb by verb, over the catalog's), and who must approve its actions. */
  chat: {allow: ChatAllow; approvers: string[]};
}

export interface Catalog {
  /** Absolute path of the foggy.yml it came from. */
  file: string;
  /** Its directory: actions and command checks run here. */
  dir: string;
  channel?: string;
  mirror: {required: boolean; budgetMs: number};
  redact: string[];
  /** Coordination across machines, as foggy.yml asks (the environment may override: see coordination/settings.ts). */
  coordination: {postgres?: string; ttlMs?: number; fallback: 'refuse' | 'local'};
  /** From chat: who may run each verb (absent: the verb's default), and how long a confirmation stays open. */
  chat: {allow: ChatAllow; confirmWithinMs: number};
  /** Recurring maintenance windows (watch.maintenance): quiet times for the watcher. */
  maintenance: MaintenanceWindow[];
  /** Where foggy watch serves the status page (watch.listen: host:port), when foggy.yml says so. */
  listen?: string;
  /** The status page: whether it shows check targets, the time zone of its days, its title. */
  page: {showTargets: boolean; timeZone: string; title?: string};
  services: Map<string, Service>;
}
