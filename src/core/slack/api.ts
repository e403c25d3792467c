import type {LogLevel, WebClient} from '@slack/web-api';
import {classify} from './failure.js';
import {httpFetch, type FetchInit} from './http-fetch.js';

export interface SlackApiOptions {
  token: string;
  apiUrl: string;
  /** One request's limit. */
  requestTimeoutMs: number;
  /** Aborting it cancels every request in flight: the mirror's whole budget is spent. */
  signal?: AbortSignal;
  debug?: (line: string) => void;
}

let sdk: Promise<typeof import('./web-client.js')> | undefined;

/**
 * Loads the Slack SDK, once. It is the heaviest module foggy has, so it loads only when Slack is used;
 * a session that will post calls this early, so that loading overlaps the checks or the action.
 */
export function loadSlackSdk(): Promise<typeof import('./web-client.js')> {
  sdk ??= import('./web-client.js');
  return sdk;
}

/** What Slack answered, with the HTTP Date header (for the clock check). */
export type SlackResult = Record<string, unknown> & {ok: boolean; response_metadata?: {next_cursor?: string; scopes?: string[]}};

/**
 * The real WebClient, configured for a CLI: no retries of its own (foggy's delivery loop decides, within
 * its budget), a per-request timeout, 429s handed back with their Retry-After, and a logger that never
 * writes to stdout. Every failure comes out as a classified SlackFailure.
 */
export class SlackApi {
  private client?: WebClient;
  lastServerDate?: Date;

  constructor(private readonly options: SlackApiOptions) {}

  private async webClient(): Promise<WebClient> {
    if (this.client) return this.client;
    const {WebClient} = await loadSlackSdk();
    const errorLevel = 'error' as LogLevel; // LogLevel.ERROR; the enum is not needed at run time
    const {debug, signal} = this.options;
    const log = (...parts: unknown[]) => debug?.(parts.map(String).join(' '));
    const fetchWithBudget = async (url: string | URL, init?: FetchInit) => {
      const signals = [init?.signal, signal].filter((s): s is AbortSignal => Boolean(s));
      const response = await httpFetch(url, {...init, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined});
      const date = response.headers.get('date');
      if (date) this.lastServerDate = new Date(date);
      return response;
    };
    this.client = new WebClient(this.options.token, {
      slackApiUrl: this.options.apiUrl,
      timeout: this.options.requestTimeoutMs,
      retryConfig: {retries: 0},
      rejectRateLimitedCalls: true,
      logLevel: errorLevel,
      logger: {debug: log, info: log, warn: log, error: log, setLevel() {}, getLevel: () => errorLevel, setName() {}},
      fetch: fetchWithBudget as never,
    });
    return this.client;
  }

  async call(method: string, args: Record<string, unknown> = {}): Promise<SlackResult> {
    const client = await this.webClient();
    try {
      return (await client.apiCall(method, args)) as SlackResult;
    } catch (error) {
      throw classify(error, this.options.signal?.aborted ?? false);
    }
  }

  async uploadFile(args: {channel_id: string; thread_ts: string; content: Buffer; filename: string; title: string}): Promise<void> {
    const client = await this.webClient();
    try {
      await client.files.uploadV2({channel_id: args.channel_id, thread_ts: args.thread_ts, file: args.content, filename: args.filename, title: args.title});
    } catch (error) {
      throw classify(error, this.options.signal?.aborted ?? false);
    }
  }
}
