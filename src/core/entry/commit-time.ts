import {execFile} from 'node:child_process';

/**
 * The committer time of commits, from the git repository at `dir`: one git process for many commits; a
 * commit the repository does not have (a shallow clone, another repository) is simply not in the answer.
 * Any failure (no git, no repository) is an empty answer: lead time then counts the deploy as without one.
 */
export async function commitTimes(dir: string, commits: string[], timeoutMs = 5_000): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const wanted = [...new Set(commits.filter((commit) => /^[0-9a-f]{7,64}$/i.test(commit)))];
  for (let from = 0; from < wanted.length; from += 500) {
    const batch = wanted.slice(from, from + 500);
    const output = await new Promise<string>((resolve) =>
      execFile('git', ['-C', dir, 'log', '--no-walk=unsorted', '--ignore-missing', '--format=%H %ct', ...batch, '--'], {timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024}, (error, stdout) => resolve(error ? '' : stdout)),
    );
    for (const line of output.split('\n')) {
      const [full, seconds] = line.split(' ');
      if (!full || !seconds) continue;
      const at = Number(seconds) * 1000;
      for (const commit of batch) if (full.startsWith(commit.toLowerCase())) times.set(commit, at);
    }
  }
  return times;
}
