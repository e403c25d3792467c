/** foggy's own credentials: an action or a command check has no business with them, and could leak them. */
const FOGGY_SECRETS = ['FOGGY_SLACK_TOKEN', 'SLACK_BOT_TOKEN'];

/** The environment an action or a command check runs with: foggy's, less its Slack token, plus `extra`. */
export function childEnvironment(extra: Record<string, string>, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...base};
  for (const name of FOGGY_SECRETS) delete env[name];
  return {...env, ...extra};
}
