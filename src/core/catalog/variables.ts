/**
 * ${VAR} and ${VAR:-default} in what a check reaches (its URL, host:port, host name, and header values):
 * the same catalog serves every environment, and a health endpoint's token stays out of the file. Only
 * checks are expanded: an action's command is left alone, since a shell string uses ${VAR} itself.
 */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** The variables a catalog's text refers to, whose values its validated form depends on. */
export function referencedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((match) => match[1]))].sort();
}

/**
 * The values of those variables, as one string, for the cache to compare: only catalogs with no secret from the
 * environment are cached, so these are ports and host names, kept as they are (no hash to load, none to collide).
 */
export function variableValues(text: string, env: NodeJS.ProcessEnv): string {
  const names = referencedVariables(text);
  return names.length === 0 ? '' : JSON.stringify(names.map((name) => [name, env[name] ?? null]));
}

/** `value` with its variables replaced; throws naming the first one that is unset and has no default. */
export function expandVariables(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(VARIABLE, (_, name: string, fallback: string | undefined) => {
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    throw new Error(`\${${name}} is not set (set it, or give a default: \${${name}:-value})`);
  });
}

type Located = (path: (string | number)[], message: string) => Error;

/** A variable in a header's value, or in a URL's user:password part: a secret kept out of the file. */
function holdsSecret(key: string, raw: string, inHeaders: boolean): boolean {
  if (inHeaders) return true;
  if (key !== 'http') return false;
  const authority = raw.replace(/^https?:\/\//, '').split('/')[0];
  return authority.includes('@') && authority.slice(0, authority.lastIndexOf('@')).includes('${');
}

/**
 * Expands the check targets of a catalog's raw data in place, before it is validated. Returns whether a
 * secret (a header's value, a URL's password) came from the environment: such a catalog is never cached on disk.
 */
export function expandCheckTargets(data: unknown, env: NodeJS.ProcessEnv, located: Located): {secretsFromEnvironment: boolean} {
  let secretsFromEnvironment = false;
  const services = (data as {services?: unknown} | null)?.services;
  if (!services || typeof services !== 'object') return {secretsFromEnvironment};
  const expand = (holder: Record<string, unknown>, key: string, at: (string | number)[], inHeaders: boolean) => {
    const raw = holder[key];
    if (typeof raw !== 'string' || !raw.includes('${')) return;
    if (holdsSecret(key, raw, inHeaders)) secretsFromEnvironment = true;
    try {
      holder[key] = expandVariables(raw, env);
    } catch (error) {
      throw located(at, (error as Error).message);
    }
  };
  for (const [name, service] of Object.entries(services as Record<string, unknown>)) {
    const checks = (service as {status?: unknown} | null)?.status;
    if (!Array.isArray(checks)) continue;
    for (const [index, check] of checks.entries()) {
      if (!check || typeof check !== 'object') continue;
      const path = ['services', name, 'status', index];
      for (const key of ['http', 'tcp', 'dns']) expand(check as Record<string, unknown>, key, [...path, key], false);
      const headers = (check as {headers?: unknown}).headers;
      if (headers && typeof headers === 'object') for (const key of Object.keys(headers)) expand(headers as Record<string, unknown>, key, [...path, 'headers', key], true);
    }
  }
  return {secretsFromEnvironment};
}
