import {builtins} from '../platform/builtins.js';

/** The part of the fetch API that @slack/web-api uses. */
export interface FetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: {get(name: string): string | null; entries(): IterableIterator<[string, string]>};
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * A fetch for the WebClient built on node:http(s). The global fetch loads undici, which costs more than a
 * loopback round trip to Slack; every API call foggy makes is a small form-encoded POST, which node:http
 * sends as well, and a file upload is a body of bytes (see SlackApi.uploadFile). Anything else (a FormData,
 * a stream) still goes through the global fetch.
 */
export async function httpFetch(url: string | URL, init: FetchInit = {}): Promise<FetchResponse> {
  if (init.body !== undefined && typeof init.body !== 'string' && !(init.body instanceof Uint8Array)) return (await fetch(url, init as RequestInit)) as unknown as FetchResponse;
  const target = new URL(url);
  const request = builtins.requestFor(target);
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : (init.body as Uint8Array);
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {method: init.method ?? 'GET', headers: {...init.headers, ...(body ? {'content-length': String(body.length)} : {})}, signal: init.signal},
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const data = Buffer.concat(chunks);
          const headers = new Map(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: response.statusMessage ?? '',
            url: target.href,
            headers: {get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries()},
            arrayBuffer: async () => data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer,
            json: async () => JSON.parse(data.toString('utf8')),
            text: async () => data.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
