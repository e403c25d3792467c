import type {JournalEntry} from '../journal/journal.js';
import type {ActionRequest} from './action.js';
import {AppContext, type FoggyDeps} from './context.js';
import type {LogRequest} from './log.js';
import type {LoginRequest} from './login.js';
import type {LogResult} from './results.js';
import type {StatusRequest} from './status.js';

export type {FoggyDeps} from './context.js';

/**
 * foggy's use cases, wired once from what the front end injects (environment, clock, IO, prompts, Slack).
 * Every front end (the CLI's commands, a watcher, a chat front end, a test) calls these and nothing else;
 * each takes a plain request and returns the typed result that --json prints. Each use case's module loads
 * when it is first called: `foggy status` does not pay for the code of log, login or doctor.
 */
export function createFoggy(deps: FoggyDeps) {
  const app = new AppContext(deps);
  return {
    status: async (request: StatusRequest) => (await import('./status.js')).status(app, request),
    deploy: async (request: ActionRequest) => (await import('./action.js')).runActionVerb(app, 'deploy', request),
    restart: async (request: ActionRequest) => (await import('./action.js')).runActionVerb(app, 'restart', request),
    services: async (request: {configPath?: string} = {}) => (await import('./services.js')).listServices(app, request),
    log: async (request: LogRequest) => (await import('./log.js')).log(app, request),
    followLog: async (request: LogRequest, onEntries: (entries: JournalEntry[], source: LogResult) => void) => (await import('./log.js')).followLog(app, request, onEntries),
    showEntry: async (request: {id: string; channel?: string; configPath?: string; local?: boolean}) => (await import('./log.js')).showEntry(app, request),
    outbox: async () => (await import('./outbox.js')).listOutbox(app),
    flushOutbox: async (request: {timeout: string; background?: boolean; onProgress?: (progress: import('../mirror/flush.js').FlushProgress) => void}) => (await import('./outbox.js')).flushOutbox(app, request),
    retryOutboxEntry: async (request: {id: string; timeout: string}) => (await import('./outbox.js')).retryOutboxEntry(app, request),
    dropOutboxEntry: async (request: {id: string}) => (await import('./outbox.js')).dropOutboxEntry(app, request),
    doctor: async (request: {configPath?: string; channel?: string} = {}) => (await import('./doctor.js')).doctor(app, request),
    login: async (request: LoginRequest) => (await import('./login.js')).login(app, request),
    logout: async () => (await import('./login.js')).logout(app),
    watch: async (request: import('./watch.js').WatchRequest, onEvent: (event: import('../watch/watcher.js').WatchEvent) => void) => (await import('./watch.js')).watch(app, request, onEvent),
  };
}

export type Foggy = ReturnType<typeof createFoggy>;
