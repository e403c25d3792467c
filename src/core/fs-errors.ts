/** A file-system error in words a user can act on ("permission denied", not EACCES). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  return WORDS[code] ?? (error as Error | undefined)?.message ?? String(error);
}

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'a loop of symbolic links',
  ENOENT: 'no such file',
  EISDIR: 'a directory, not a file',
};
