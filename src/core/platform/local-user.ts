import {userInfo} from 'node:os';

/** The user this process runs as, by name: from the environment a shell sets, else the system's account. */
export function localUser(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.USER || env.LOGNAME;
  if (named) return named;
  try {
    return userInfo().username;
  } catch {
    // No account entry (a container running a bare uid).
    return 'unknown';
  }
}
