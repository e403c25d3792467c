import type {
  ActionDryRun,
  ActionResult as ActionUseCaseResult,
  DoctorResult as Diagnosis,
  Finding as FindingWithRemedies,
  LogResult,
  LogShowResult,
  LoginResult,
  LogoutResult,
  OutboxDropResult,
  OutboxFlushResult as FlushUseCaseResult,
  OutboxListResult as OutboxUseCaseList,
  OutboxRetryResult as RetryUseCaseResult,
  ReportResult,
  ServicesResult,
  SilenceDryRun,
  SilenceList,
  SilenceResult,
  StatusDryRun,
  StatusResult as StatusUseCaseResult,
} from '../core/app/results.js';
import type {Remedy} from '../core/errors/remedy.js';
import type {JournalEntry} from '../core/journal/journal.js';
import type {WatchEvent} from '../core/watch/watcher.js';
import type {HistoryView} from '../core/history/view.js';
import type {ApiIncidents, ApiRuns, ApiService, ApiServices, ApiUptime} from '../page/api.js';
import {exitCodeForOutcome} from './exit-codes.js';
import {phraseAdvice} from './phrases.js';

// What each command's --json prints: the use case's result, with what only the shell adds (the exit code,
// remedies in the shell's words). schema/json/NAME.schema.json publishes each shape (scripts/json-schemas.js);
// the tests validate every --json output against it.

/** A status run, with the exit code a shell sees for its outcome. */
export type StatusRun = StatusUseCaseResult & {exitCode: number};
/** A deploy or restart, with the exit code a shell sees for its outcome. */
export type ActionRun = ActionUseCaseResult & {exitCode: number};

/** One thing doctor checked: what, whether it is fine, what it saw, and how to fix it. */
export type DoctorFinding = Omit<FindingWithRemedies, 'remedies'>;

export interface DoctorReport {
  ok: boolean;
  findings: DoctorFinding[];
}

/** A Slack error as the shell says it: its code, and what to do. */
export interface SlackError {
  code: string;
  hint?: string;
}

export interface OutboxList {
  entries: OutboxUseCaseList['entries'];
  setAside: (JournalEntry & {reason: string; fix?: string})[];
}

export type OutboxFlush = Omit<FlushUseCaseResult, 'error'> & {error?: SlackError};
export type OutboxRetry = Omit<RetryUseCaseResult, 'error'> & {error?: SlackError};

/** What every failure prints with --json. */
export interface ErrorResult {
  ok: false;
  error: {message: string; hint?: string; exitCode: number};
}

/** What each command's --json prints, by schema name (schema/json/NAME.schema.json). */
export type StatusOutput = StatusRun | StatusDryRun;
export type ActionOutput = ActionRun | ActionDryRun;
export type ServicesOutput = ServicesResult;
export type LogOutput = LogResult;
/** log --follow --json: one entry per line. */
export type LogFollowOutput = JournalEntry;
export type LogShowOutput = LogShowResult;
export type OutboxOutput = OutboxList;
export type OutboxFlushOutput = OutboxFlush | OutboxRetry | OutboxDropResult;
export type DoctorOutput = DoctorReport;
export type LoginOutput = LoginResult;
export type LogoutOutput = LogoutResult;
export type ErrorOutput = ErrorResult;
export type ReportOutput = ReportResult;
export type SilenceOutput = SilenceResult | SilenceDryRun | SilenceList;
export type UptimeOutput = HistoryView;
/** The status page's JSON API (foggy watch --listen), route by route. */
export type ApiServicesOutput = ApiServices;
export type ApiServiceOutput = ApiService;
export type ApiUptimeOutput = ApiUptime;
export type ApiIncidentsOutput = ApiIncidents;
export type ApiRunsOutput = ApiRuns;
/** foggy watch --json: one state change per line. */
export type WatchOutput = WatchEvent;

/** A run's result with the exit code a shell sees for its outcome. */
export function statusOutput(result: StatusUseCaseResult | StatusDryRun): StatusOutput {
  return 'dryRun' in result ? result : {...result, exitCode: exitCodeForOutcome(result.outcome) ?? 1};
}

export function actionOutput(result: ActionUseCaseResult | ActionDryRun): ActionOutput {
  return 'dryRun' in result ? result : {...result, exitCode: exitCodeForOutcome(result.outcome) ?? 1};
}

export function doctorOutput(result: Diagnosis): DoctorOutput {
  return {...result, findings: result.findings.map(({remedies, ...finding}) => ({...finding, fix: phraseAdvice(finding.fix, remedies)}))};
}

export function outboxOutput(result: OutboxUseCaseList): OutboxOutput {
  return {...result, setAside: result.setAside.map(({remedy, ...entry}) => ({...entry, fix: phraseAdvice(entry.fix, [remedy])}))};
}

/** A Slack error as the shell says it: its code, and what to do in one sentence. */
export function errorShown(error: {code: string; hint?: string; remedy?: Remedy} | undefined): SlackError | undefined {
  if (!error) return undefined;
  const hint = phraseAdvice(error.hint, [error.remedy]);
  return hint === undefined ? {code: error.code} : {code: error.code, hint};
}
