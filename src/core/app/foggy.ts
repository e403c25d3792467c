import type {JournalEntry} from '../journal/journal.js';
import type {FlushProgress} from '../mirror/flush.js';
import type {WatchEvent} from '../watch/watcher.js';
import {runActionVerb, type ActionRequest} from './action.js';
import {AppContext, type FoggyDeps} from './context.js';
import {doctor} from './doctor.js';
import {followLog, log, showEntry, type LogRequest} from './log.js';
import {login, logout, type LoginRequest} from './login.js';
import {dropOutboxEntry, flushOutbox, listOutbox, retryOutboxEntry} from './outbox.js';
import type {LogResult} from './results.js';
import {listServices} from './services.js';
import {recordRefusal, type RefusalRequest} from './refuse.js';
import type {ReportRequest} from './report.js';
import type {HistoryRequest} from './history.js';
import type {RollbackRequest} from './rollback.js';
import {endSilence, listSilences, setSilence, type EndSilenceRequest, type SilenceRequest} from './silence.js';
import {status, type StatusRequest} from './status.js';
import {watch, type WatchRequest} from './watch.js';

export type {FoggyDeps} from './context.js';

/**
 * foggy's use cases, wired once from what the front end injects (environment, clock, IO, prompts, Slack).
 * Every front end (the CLI's commands, a watcher, a chat front end, a test) calls these and nothing else;
 * each takes a plain request and returns the typed result that --json prints. The modules are imported
 * statically: loading a few more kilobytes costs less than resolving a dozen more module files at startup.
 */
export function createFoggy(deps: FoggyDeps) {
  const app = new AppContext(deps);
  return {
    status: async (request: StatusRequest) => status(app, request),
    deploy: async (request: ActionRequest) => runActionVerb(app, 'deploy', request),
    restart: async (request: ActionRequest) => runActionVerb(app, 'restart', request),
    // Loaded when asked: choosing from the record is no other verb's business.
    rollback: async (request: RollbackRequest) => (await import('./rollback.js')).rollback(app, request),
    services: async (request: {configPath?: string} = {}) => listServices(app, request),
    log: async (request: LogRequest) => log(app, request),
    followLog: async (request: LogRequest, onEntries: (entries: JournalEntry[], source: LogResult) => void) => followLog(app, request, onEntries),
    showEntry: async (request: {id: string; channel?: string; configPath?: string; local?: boolean}) => showEntry(app, request),
    outbox: async () => listOutbox(app),
    flushOutbox: async (request: {timeoutMs: number; background?: boolean; onProgress?: (progress: FlushProgress) => void}) => flushOutbox(app, request),
    retryOutboxEntry: async (request: {id: string; timeoutMs: number}) => retryOutboxEntry(app, request),
    dropOutboxEntry: async (request: {id: string}) => dropOutboxEntry(app, request),
    doctor: async (request: {configPath?: string; channel?: string} = {}) => doctor(app, request),
    login: async (request: LoginRequest) => login(app, request),
    logout: async () => logout(app),
    watch: async (request: WatchRequest, onEvent: (event: WatchEvent) => void) => watch(app, request, onEvent),
    /** The catalog, validated: for a front end that holds it (and checks requests against its rules). */
    catalog: async (request: {configPath?: string} = {}) => app.catalog(request.configPath),
    refuse: async (request: RefusalRequest) => recordRefusal(app, request),
    silence: async (request: SilenceRequest) => setSilence(app, request),
    // Loaded when asked, as the report: the history's readers are no other use case's business.
    uptime: async (request: HistoryRequest) => (await import('./history.js')).uptime(app, request),
    /** The history kept open, for a front end that shows it again and again (the status page). */
    historyReader: async (request: {configPath?: string} = {}) => new (await import('./history.js')).HistoryReader(app, request.configPath),
    silences: async (request: {configPath?: string} = {}) => listSilences(app, request),
    endSilence: async (request: EndSilenceRequest) => endSilence(app, request),
    // Loaded when asked: the report's metrics and history readers are no other use case's business.
    report: async (request: ReportRequest) => (await import('./report.js')).report(app, request),
  };
}

export type Foggy = ReturnType<typeof createFoggy>;
