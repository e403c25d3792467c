import type {LogLevel, WebClient} from '@slack/web-api';
import {classify} from './failure.js';
import {httpFetch, type FetchInit, type FetchResponse} from './http-fetch.js';

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
    const {debug} = this.options;
    const log = (...parts: unknown[]) => debug?.(parts.map(String).join(' '));
    this.client = new WebClient(this.options.token, {
      slackApiUrl: this.options.apiUrl,
      timeout: this.options.requestTimeoutMs,
      retryConfig: {retries: 0},
      rejectRateLimitedCalls: true,
      logLevel: errorLevel,
      logger: {debug: log, info: log, warn: log, error: log, setLevel() {}, getLevel: () => errorLevel, setName() {}},
      fetch: ((url: string | URL, init?: FetchInit) => this.fetchWithBudget(url, init)) as never,
    });
    return this.client;
  }

  /** Every request: within the mirror's budget, and noting Slack's clock. */
  private async fetchWithBudget(url: string | URL, init?: FetchInit): Promise<FetchResponse> {
    const signals = [init?.signal, this.options.signal].filter((s): s is AbortSignal => Boolean(s));
    const response = await httpFetch(url, {...init, signal: signals.length > 0 ? AbortSignal.any(signals) : undefined});
    const date = response.headers.get('date');
    if (date) this.lastServerDate = new Date(date);
    return response;
  }

  async call(method: string, args: Record<string, unknown> = {}): Promise<SlackResult> {
    const client = await this.webClient();
    try {
      return (await client.apiCall(method, args)) as SlackResult;
    } catch (error) {
      throw classify(error, this.options.signal?.aborted ?? false);
    }
  }

  /**
   * The first two of Slack's three steps of an external upload, as files.uploadV2 takes them: an upload URL,
   * then the bytes, sent as a multipart body built here (the SDK builds a FormData, which loads undici: about
   * 70 ms and 15 MB for the one file of a large status). The file is Slack's, but shown nowhere until shared.
   */
  async stageFile(args: {content: Buffer; filename: string}): Promise<string> {
    const target = await this.call('files.getUploadURLExternal', {filename: args.filename, length: args.content.length});
    const form = multipartFile('body', args.filename, args.content);
    let status: number;
    try {
      const response = await this.fetchWithBudget(String(target.upload_url), {
        method: 'POST',
        headers: {authorization: `Bearer ${this.options.token}`, 'content-type': form.contentType},
        body: form.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      throw classify(error, this.options.signal?.aborted ?? false);
    }
    if (status !== 200) throw classify(new Error(`the file upload was answered with HTTP ${status}`), false);
    return String(target.file_id);
  }

  /** The third step: the staged file is shared in a thread. */
  async shareFile(args: {file_id: string; title: string; channel_id: string; thread_ts: string}): Promise<void> {
    await this.call('files.completeUploadExternal', {files: [{id: args.file_id, title: args.title}], channel_id: args.channel_id, thread_ts: args.thread_ts});
  }
}

/** A multipart/form-data body holding one file, as fetch would send a FormData with one Blob. */
export function multipartFile(field: string, filename: string, content: Buffer): {contentType: string; body: Buffer} {
  const boundary = `----foggy${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  // Quotes and line breaks in a name would end the header; the name is foggy's own, but stay safe.
  const safe = filename.replaceAll(/["\r\n\\]/g, '_');
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${safe}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)])};
}
