import type {Catalog} from '../catalog/types.js';
import type {Check} from '../checks/check-types.js';

/** What a check reaches, as text may name it: its URL (with and without its last slash), host:port, name or command. */
function targetsOf(check: Check): string[] {
  switch (check.type) {
    case 'http': {
      return [check.url, check.url.replace(/\/$/, '')];
    }
    case 'tcp': {
      return [`${check.host}:${check.port}`];
    }
    case 'dns': {
      return [check.hostname];
    }
    case 'command': {
      return [Array.isArray(check.command) ? check.command.join(' ') : check.command];
    }
  }
}

/**
 * Check targets (URLs, host:port, names, commands) replaced in text by what kind of check reaches them
 * ("http check"): a page may be seen by more people than the catalog, and shows targets only when the catalog
 * says so (page.show_targets). A check's own name, when it was given one, stays: someone chose it to be read.
 */
export function targetHider(catalog: Catalog): (text: string) => string {
  const replacements: [string, string][] = [];
  for (const service of catalog.services.values()) {
    for (const check of service.checks) {
      for (const target of targetsOf(check)) if (target.length >= 3) replacements.push([target, `${check.type} check`]);
    }
  }
  // Longest first: a URL before its host.
  replacements.sort((a, b) => b[0].length - a[0].length);
  return (text) => {
    let shown = text;
    for (const [target, label] of replacements) if (shown.includes(target)) shown = shown.replaceAll(target, label);
    return shown;
  };
}
