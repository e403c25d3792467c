/** Network errors in a few words ("connection refused", not ECONNREFUSED). */
const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'name does not resolve',
  EAI_AGAIN: 'name lookup failed (temporary)',
  ENODATA: 'name has no address',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  // foggy's, not the service's: the check could not be made.
  EMFILE: 'not checked: foggy has too many open files (raise ulimit -n)',
  ENFILE: 'not checked: the system has too many open files',
};

export function errorWords(code: string | undefined): string | undefined {
  return code === undefined ? undefined : ERROR_WORDS[code];
}
