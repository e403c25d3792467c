import {hostname, userInfo} from 'node:os';
import ci from 'ci-info';
import {readGitInfo} from './git.js';
import type {Where, Who} from './types.js';

export function whoAmI(env: NodeJS.ProcessEnv = process.env): Who {
  let user = env.USER || env.LOGNAME || '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return {user, host: hostname()};
}

/** CI job links by provider, from the variables each one documents. */
function ciJobUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.CI_JOB_URL || env.BUILDKITE_BUILD_URL || env.CIRCLE_BUILD_URL || env.BUILD_URL || env.TRAVIS_JOB_WEB_URL || undefined;
}

export function whereAmI(catalogDir: string, env: NodeJS.ProcessEnv = process.env): Where {
  const git = readGitInfo(catalogDir);
  const where: Where = {kind: 'terminal', cwd: process.cwd(), ...git};
  if (ci.isCI) {
    where.kind = 'ci';
    where.ci = {name: ci.name ?? 'CI', url: ciJobUrl(env)};
  }
  return where;
}
