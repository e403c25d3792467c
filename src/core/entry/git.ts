import {existsSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';

export interface GitInfo {
  repository?: string;
  commit?: string;
  branch?: string;
}

/**
 * Reads the repository, branch and commit of the checkout around `dir` straight from .git:
 * spawning git would cost more than the whole rest of startup.
 */
export function readGitInfo(dir: string): GitInfo {
  const gitDir = findGitDir(dir);
  if (!gitDir) return {};
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const info: GitInfo = {repository: originUrl(gitDir)};
    if (head.startsWith('ref: ')) {
      const ref = head.slice(5);
      info.branch = ref.replace(/^refs\/heads\//, '');
      info.commit = resolveRef(gitDir, ref);
    } else {
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
    if (dirname(dir) === dir) return undefined;
  }
}

function resolveRef(gitDir: string, ref: string): string | undefined {
  const commonDir = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
  for (const base of [gitDir, commonDir]) {
    const loose = join(base, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
  }
  const packed = join(commonDir, 'packed-refs');
  if (!existsSync(packed)) return undefined;
  const line = readFileSync(packed, 'utf8').split('\n').find((l) => l.endsWith(` ${ref}`));
  return line?.split(' ')[0];
}

function originUrl(gitDir: string): string | undefined {
  const configFile = join(gitDir, 'config');
  if (!existsSync(configFile)) return undefined;
  const config = readFileSync(configFile, 'utf8');
  const section = /\[remote "origin"]([^[]*)/.exec(config);
  const url = section && /^\s*url\s*=\s*(.+)$/m.exec(section[1]);
  // Credentials embedded in a remote URL never leave the machine.
  return url?.[1].trim().replace(/\/\/[^/@]+@/, '//');
}
