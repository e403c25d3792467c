import {existsSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';

export interface GitInfo {
  repository?: string;
  commit?: string;
  branch?: string;
}

/**
 * Reads the repository, branch and commit of the checkout around `dir` straight from its git directory:
 * spawning git would cost more than the whole rest of startup. Every layout git makes is read as git reads
 * it: a .git directory; a .git file pointing elsewhere (a worktree, whose refs and config are in the common
 * directory it names; a submodule, under its superproject's .git/modules); GIT_DIR (and GIT_COMMON_DIR) from
 * the environment; a bare repository; a detached HEAD. No git at all: nothing.
 */
export function readGitInfo(dir: string, env: NodeJS.ProcessEnv = {}): GitInfo {
  try {
    // As git takes them: relative to the working directory.
    const gitDir = env.GIT_DIR ? resolve(env.GIT_DIR) : findGitDir(dir);
    if (!gitDir || !existsSync(join(gitDir, 'HEAD'))) return {};
    const commonDir = env.GIT_COMMON_DIR ? resolve(env.GIT_COMMON_DIR) : commonDirOf(gitDir);
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const info: GitInfo = {repository: originUrl(commonDir)};
    if (head.startsWith('ref: ')) {
      const ref = head.slice(5);
      info.branch = ref.replace(/^refs\/heads\//, '');
      info.commit = resolveRef(gitDir, commonDir, ref);
    } else if (/^[0-9a-f]{40,64}$/.test(head)) {
      // Detached: the commit itself, no branch.
      info.commit = head;
    }
    return info;
  } catch {
    return {};
  }
}

function findGitDir(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, '.git');
    if (existsSync(candidate)) {
      if (statSync(candidate).isDirectory()) return candidate;
      // A worktree or submodule: ".git" is a file that points at the real directory.
      const pointer = /^gitdir: (.*)$/m.exec(readFileSync(candidate, 'utf8'));
      return pointer ? resolve(dir, pointer[1].trim()) : undefined;
    }
    // A bare repository: the directory is the git directory.
    if (isBare(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isBare(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs')) && /\bbare\s*=\s*true\b/i.test(readIfThere(join(dir, 'config')));
}

/** A worktree's git directory names the repository's common one (refs, packed-refs, config); others are their own. */
function commonDirOf(gitDir: string): string {
  const pointer = readIfThere(join(gitDir, 'commondir')).trim();
  return pointer ? resolve(gitDir, pointer) : gitDir;
}

function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const base of [gitDir, commonDir]) {
    const loose = readIfThere(join(base, ref)).trim();
    if (loose) return loose;
  }
  const line = readIfThere(join(commonDir, 'packed-refs'))
    .split('\n')
    .find((l) => l.endsWith(` ${ref}`));
  return line?.split(' ')[0];
}

function originUrl(commonDir: string): string | undefined {
  const config = readIfThere(join(commonDir, 'config'));
  const section = /\[remote "origin"]([^[]*)/.exec(config);
  const url = section && /^\s*url\s*=\s*(.+)$/m.exec(section[1]);
  // Credentials embedded in a remote URL never leave the machine.
  return url?.[1].trim().replace(/\/\/[^/@]+@/, '//');
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
