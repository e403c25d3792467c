/**
 * ${VAR} and ${VAR:-default} in what a check reaches (its URL, host:port, host name, header values: the keys each
 * kind of check declares, see expand-checks.ts): the same catalog serves every environment, and a health endpoint's token stays out of the file. Only
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
