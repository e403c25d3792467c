/**
 * A secret wrapped in base64 (a JWT in a Kubernetes data value, credentials in a Basic header's payload, a
 * config file passed as one variable): a long base64 token whose decoded form is text in which the other
 * masks find a secret is masked whole. Base64 of ordinary text stays as it is.
 */

const CANDIDATE = /(?<![A-Za-z0-9+/_-])([A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{24,})(?![A-Za-z0-9+/=_-])/g;

export function maskBase64Wrapped(text: string, mark: string, inner: (decoded: string) => string): string {
  if (text.length < 24) return text;
  return text.replace(CANDIDATE, (token: string) => {
    const decoded = decode(token);
    if (decoded === undefined) return token;
    return inner(decoded) === decoded ? token : mark;
  });
}

/** The token decoded, when it is base64 (or base64url) of readable text; undefined otherwise. */
function decode(token: string): string | undefined {
  const url = /[-_]/.test(token);
  if (!url && token.length % 4 !== 0 && !token.endsWith('=')) return undefined;
  const bytes = Buffer.from(token, url ? 'base64url' : 'base64');
  if (bytes.length < 16) return undefined;
  let readable = 0;
  for (const byte of bytes) if ((byte >= 32 && byte < 127) || byte === 9 || byte === 10 || byte === 13) readable++;
  if (readable / bytes.length < 0.97) return undefined;
  return bytes.toString('latin1');
}
