import {createRequire} from 'node:module';

/**
 * A body decoded as its Content-Encoding says (gzip, deflate, br, or several in turn), for checks that judge
 * the body: a compressed page is judged on its text. The decoded size is bounded like a plain body, so a
 * small answer that inflates to gigabytes (a compression bomb) costs no memory: it is refused at the limit.
 */

const load = createRequire(import.meta.url);
const zlib = (): typeof import('node:zlib') => load('node:zlib') as typeof import('node:zlib');

export const ACCEPT_ENCODING = 'gzip, deflate, br';

export class DecodeError extends Error {}

export function decodeBody(body: Buffer, contentEncoding: string | undefined, limit: number): Buffer {
  if (!contentEncoding) return body;
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity');
  let decoded = body;
  // Applied in the order listed: decoded in the reverse order.
  for (const coding of codings.reverse()) decoded = decodeOnce(decoded, coding, limit);
  return decoded;
}

function decodeOnce(data: Buffer, coding: string, limit: number): Buffer {
  const z = zlib();
  // A body cut at the limit is decoded as far as it goes, not refused for its missing end.
  const options = {maxOutputLength: limit, finishFlush: z.constants.Z_SYNC_FLUSH};
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip': {
        return z.gunzipSync(data, options);
      }
      case 'deflate': {
        // "deflate" is zlib-wrapped by the standard, raw deflate from some servers.
        try {
          return z.inflateSync(data, options);
        } catch (error) {
          if (tooLarge(error)) throw error;
          return z.inflateRawSync(data, options);
        }
      }
      case 'br': {
        return z.brotliDecompressSync(data, {maxOutputLength: limit, finishFlush: z.constants.BROTLI_OPERATION_FLUSH});
      }
      default: {
        throw new DecodeError(`the body is encoded with ${JSON.stringify(coding.slice(0, 20))}, which foggy did not ask for and cannot decode`);
      }
    }
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    if (tooLarge(error)) throw new DecodeError(`the body decompresses to more than ${limit / 1024 / 1024} MiB (from ${formatBytes(data.length)} of ${coding}): too large to judge`);
    throw new DecodeError(`the body is not valid ${coding} (${(error as Error).message.split('\n')[0]})`);
  }
}

function tooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.round(bytes / 1024)} KiB`;
}
