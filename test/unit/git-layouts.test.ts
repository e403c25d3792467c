import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {readGitInfo} from '../../src/core/entry/git.js';
import {tempDir} from '../support/temp.js';

/**
 * Where a run happened, in every layout git makes, read without running git and checked against what git
 * itself says: a checkout, a worktree, a submodule, GIT_DIR, a bare repository, a detached HEAD, no git.
 */
describe('where the run happened: git, in every layout', function () {
  this.timeout(30_000);
  const dir = tempDir();
  after(() => dir.remove());
  const gitEnv = {...process.env, GIT_AUTHOR_NAME: 'ops', GIT_AUTHOR_EMAIL: 'ops@example.com', GIT_COMMITTER_NAME: 'ops', GIT_COMMITTER_EMAIL: 'ops@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null'};
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], {cwd, env: gitEnv, encoding: 'utf8'}).trim();
  const repo = join(dir.path, 'ops');
  let commit = '';

  before(() => {
    mkdirSync(repo);
    git(repo, 'init', '-q');
    git(repo, 'remote', 'add', 'origin', 'https://deploy:s3cret@git.example.com/acme/ops.git');
    writeFileSync(join(repo, 'foggy.yml'), 'version: 1\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'first');
    commit = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'pack-refs', '--all');
  });

  const origin = 'https://git.example.com/acme/ops.git';

  it('a checkout (refs packed): repository without credentials, branch, commit', () => {
    assert.deepEqual(readGitInfo(repo), {repository: origin, branch: 'main', commit});
    mkdirSync(join(repo, 'deploy', 'web'), {recursive: true});
    assert.deepEqual(readGitInfo(join(repo, 'deploy', 'web')), {repository: origin, branch: 'main', commit}, 'from a directory below');
  });

  it('a worktree: the origin and refs of the common directory', () => {
    const worktree = join(dir.path, 'ops-hotfix');
    git(repo, 'worktree', 'add', '-q', '-b', 'hotfix', worktree);
    assert.deepEqual(readGitInfo(worktree), {repository: origin, branch: 'hotfix', commit: git(worktree, 'rev-parse', 'HEAD')});
  });

  it('a detached HEAD: the commit, no branch', () => {
    const detached = join(dir.path, 'ops-detached');
    git(repo, 'worktree', 'add', '-q', '--detach', detached, commit);
    assert.deepEqual(readGitInfo(detached), {repository: origin, commit});
  });

  it('a submodule: its own origin and commit', () => {
    const parent = join(dir.path, 'platform');
    mkdirSync(parent);
    git(parent, 'init', '-q');
    git(parent, 'submodule', '--quiet', 'add', repo, 'ops');
    const info = readGitInfo(join(parent, 'ops'));
    assert.equal(info.commit, commit);
    assert.equal(info.repository, repo);
  });

  it('GIT_DIR (and GIT_COMMON_DIR) from the environment', () => {
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere);
    assert.deepEqual(readGitInfo(elsewhere, {GIT_DIR: join(repo, '.git')}), {repository: origin, branch: 'main', commit});
    assert.deepEqual(readGitInfo(elsewhere), {});
  });

  it('a bare repository, as some CI checkouts are', () => {
    const bare = join(dir.path, 'ops.git');
    git(dir.path, 'clone', '-q', '--bare', repo, bare);
    assert.deepEqual(readGitInfo(bare), {repository: repo, branch: 'main', commit});
  });

  it('no git at all: nothing', () => {
    const plain = join(dir.path, 'plain');
    mkdirSync(plain);
    // The temporary directory is under no checkout (the test's own checkout is not above it).
    assert.deepEqual(readGitInfo(plain), {});
  });
});
