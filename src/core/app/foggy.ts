import type {JournalEntry} from '../journal/journal.js';
import type {FlushProgress} from '../mirror/flush.js';
import type {WatchEvent} from '../watch/watcher.js';
import type {ActionRequest} from './action.js';
import {AppContext, type FoggyDeps} from './context.js';
import type {HistoryRequest} from './history.js';
import type {LogRequest} from './log.js';
import type {LoginRequest} from './login.js';
import type {RefusalRequest} from './refuse.js';
import type {ReportRequest} from './report.js';
import type {LogResult} from './results.js';
import type {RollbackRequest} from './rollback.js';
import type {EndSilenceRequest, SilenceRequest} from './silence.js';
import type {StatusRequest} from './status.js';
import type {WatchRequest} from './watch.js';

export type {FoggyDeps} from './context.js';

/**
 * foggy's use cases, wired once from what the front end injects (environment, clock, IO, prompts, Slack).
 * Every front end (the CLI's commands, a watcher, a chat front end, a test) calls these and nothing else;
 * each takes a plain request and returns the typed result that --json prints. Each use case is loaded when it
 * is called: a status never evaluates the watcher, the deploy lock or the doctor (in the bundle each is a chunk
 * of its own, one file read), and a command pays for what it runs.
 */
export function createFoggy(deps: FoggyDeps) {
  const app = new AppContext(deps);
  return {
    status: async (request: StatusRequest) => (await import('./status.js')).status(app, request),
    deploy: async (request: ActionRequest) =>
      (await import('./action.js')).runActionVerb(app, 'deploy', request, {
        // Looked for only when a deploy fails: choosing from the record is rollback's business.
        offer: async (catalog, service, failed, signal) => (await import('./rollback.js')).rollbackOffer(app, catalog, service, failed, signal),
      }),
    restart: async (request: ActionRequest) => (await import('./action.js')).runActionVerb(app, 'restart', request),
    rollback: async (request: RollbackRequest) => (await import('./rollback.js')).rollback(app, request),
    services: async (request: {configPath?: string} = {}) => (await import('./services.js')).listServices(app, request),
    log: async (request: LogRequest) => (await import('./log.js')).log(app, request),
    followLog: async (request: LogRequest, onEntries: (entries: JournalEntry[], source: LogResult) => void) => (await import('./log.js')).followLog(app, request, onEntries),
    showEntry: async (request: {id: string; channel?: string; configPath?: string; local?: boolean}) => (await import('./log.js')).showEntry(app, request),
    outbox: async () => (await import('./outbox.js')).listOutbox(app),
    flushOutbox: async (request: {timeoutMs: number; background?: boolean; onProgress?: (progress: FlushProgress) => void}) => (await import('./outbox.js')).flushOutbox(app, request),
    retryOutboxEntry: async (request: {id: string; timeoutMs: number}) => (await import('./outbox.js')).retryOutboxEntry(app, request),
    dropOutboxEntry: async (request: {id: string}) => (await import('./outbox.js')).dropOutboxEntry(app, request),
    doctor: async (request: {configPath?: string; channel?: string} = {}) => (await import('./doctor.js')).doctor(app, request),
    login: async (request: LoginRequest) => (await import('./login.js')).login(app, request),
    logout: async () => (await import('./login.js')).logout(app),
    watch: async (request: WatchRequest, onEvent: (event: WatchEvent) => void) => (await import('./watch.js')).watch(app, request, onEvent),
    /** The catalog, validated: for a front end that holds it (and checks requests against its rules). */
    catalog: async (request: {configPath?: string} = {}) => app.catalog(request.configPath),
    refuse: async (request: RefusalRequest) => (await import('./refuse.js')).recordRefusal(app, request),
    silence: async (request: SilenceRequest) => (await import('./silence.js')).setSilence(app, request),
    uptime: async (request: HistoryRequest) => (await import('./history.js')).uptime(app, request),
    /** The history kept open, for a front end that shows it again and again (the status page). */
    historyReader: async (request: {configPath?: string} = {}) => new (await import('./history.js')).HistoryReader(app, request.configPath),
    silences: async (request: {configPath?: string} = {}) => (await import('./silence.js')).listSilences(app, request),
    endSilence: async (request: EndSilenceRequest) => (await import('./silence.js')).endSilence(app, request),
    report: async (request: ReportRequest) => (await import('./report.js')).report(app, request),
  };
}

export type Foggy = ReturnType<typeof createFoggy>;
