import {hostname} from 'node:os';
import ci from 'ci-info';
import {localUser} from '../platform/local-user.js';
import {readGitInfo} from './git.js';
import type {Where, Who} from './types.js';

/** Who started a CI job, by provider, from the variables each one documents. */
const CI_ACTOR = ['GITHUB_ACTOR', 'GITLAB_USER_LOGIN', 'BUILDKITE_BUILD_CREATOR', 'CIRCLE_USERNAME', 'BUILD_REQUESTEDFOR', 'DRONE_COMMIT_AUTHOR', 'BITBUCKET_STEP_TRIGGERER_UUID', 'BUILD_USER_ID'];
/** The commit a CI job builds: the CI knows it better than the checkout (a detached head, a merge commit). */
const CI_COMMIT = ['GITHUB_SHA', 'CI_COMMIT_SHA', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'TRAVIS_COMMIT', 'BITBUCKET_COMMIT', 'DRONE_COMMIT_SHA', 'BUILD_SOURCEVERSION', 'GIT_COMMIT'];
/** The branch it builds (a pull request's own branch first). */
const CI_BRANCH = ['GITHUB_HEAD_REF', 'GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME', 'BUILDKITE_BRANCH', 'CIRCLE_BRANCH', 'TRAVIS_BRANCH', 'BITBUCKET_BRANCH', 'DRONE_BRANCH', 'BUILD_SOURCEBRANCHNAME', 'GIT_BRANCH'];

const first = (env: NodeJS.ProcessEnv, names: string[]) => names.map((name) => env[name]?.trim()).find((value) => value) || undefined;

/** ci-info reads the process's own environment; an injected one (a test, another front end) says CI=true itself. */
function inCi(env: NodeJS.ProcessEnv): {name: string} | undefined {
  if (env === process.env) return ci.isCI ? {name: ci.name ?? 'CI'} : undefined;
  return env.CI && env.CI !== 'false' && env.CI !== '0' ? {name: env.GITHUB_ACTIONS ? 'GitHub Actions' : env.GITLAB_CI ? 'GitLab CI' : 'CI'} : undefined;
}

/** The person behind a run: the OS account and host, the CI's actor in CI, and the Slack user saved by foggy login. */
export function whoAmI(env: NodeJS.ProcessEnv = process.env, slackUser?: string): Who {
  const who: Who = {user: localUser(env), host: hostname()};
  if (inCi(env)) {
    const actor = first(env, CI_ACTOR);
    if (actor) who.actor = actor;
  } else if (slackUser) {
    // At a shell the saved identity is the person's; in CI the job's actor is, whoever set up the runner.
    who.slackUser = slackUser;
  }
  return who;
}

/** CI job links by provider, from the variables each one documents. */
function ciJobUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.CI_JOB_URL || env.BUILDKITE_BUILD_URL || env.CIRCLE_BUILD_URL || env.BUILD_URL || env.TRAVIS_JOB_WEB_URL || undefined;
}

export function whereAmI(catalogDir: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Where {
  const git = readGitInfo(catalogDir, env);
  const where: Where = {kind: 'terminal', cwd, ...git};
  const job = inCi(env);
  if (job) {
    where.kind = 'ci';
    where.ci = {name: job.name, url: ciJobUrl(env)};
    const commit = first(env, CI_COMMIT);
    const branch = first(env, CI_BRANCH);
    if (commit) where.commit = commit;
    if (branch) where.branch = branch.replace(/^origin\//, '');
  }
  return where;
}

/** How a person is named in text (log, terminal): the CI actor, the chat name, else user@host. */
export function whoLabel(who: Who): string {
  if (who.actor) return `${who.actor} (${who.user}@${who.host})`;
  if (who.name) return `${who.name} (${who.user})`;
  return `${who.user}@${who.host}`;
}

/** A person in a word: the CI actor, the chat name, else user@host. */
export function whoShort(who: Who): string {
  return who.actor ?? who.name ?? `${who.user}@${who.host}`;
}
