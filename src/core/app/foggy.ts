import type {JournalEntry} from '../journal/journal.js';
import {runActionVerb, type ActionRequest} from './action.js';
import {AppContext, type FoggyDeps} from './context.js';
import {doctor} from './doctor.js';
import {followLog, log, showEntry, type LogRequest} from './log.js';
import {login, logout, type LoginRequest} from './login.js';
import {dropOutboxEntry, flushOutbox, listOutbox, retryOutboxEntry} from './outbox.js';
import type {LogResult} from './results.js';
import {listServices} from './services.js';
import {status, type StatusRequest} from './status.js';

export type {FoggyDeps} from './context.js';

/**
 * foggy's use cases, wired once from what the front end injects (environment, clock, IO, prompts, Slack).
 * Every front end (the CLI's commands, a watcher, a chat front end, a test) calls these and nothing else;
 * each takes a plain request and returns the typed result that --json prints.
 */
export function createFoggy(deps: FoggyDeps) {
  const app = new AppContext(deps);
  return {
    status: (request: StatusRequest) => status(app, request),
    deploy: (request: ActionRequest) => runActionVerb(app, 'deploy', request),
    restart: (request: ActionRequest) => runActionVerb(app, 'restart', request),
    services: (request: {configPath?: string} = {}) => listServices(app, request),
    log: (request: LogRequest) => log(app, request),
    followLog: (request: LogRequest, onEntries: (entries: JournalEntry[], source: LogResult) => void) => followLog(app, request, onEntries),
    showEntry: (request: Parameters<typeof showEntry>[1]) => showEntry(app, request),
    outbox: () => listOutbox(app),
    flushOutbox: (request: Parameters<typeof flushOutbox>[1]) => flushOutbox(app, request),
    retryOutboxEntry: (request: Parameters<typeof retryOutboxEntry>[1]) => retryOutboxEntry(app, request),
    dropOutboxEntry: (request: Parameters<typeof dropOutboxEntry>[1]) => dropOutboxEntry(app, request),
    doctor: (request: {configPath?: string; channel?: string} = {}) => doctor(app, request),
    login: (request: LoginRequest) => login(app, request),
    logout: () => logout(app),
  };
}

export type Foggy = ReturnType<typeof createFoggy>;
