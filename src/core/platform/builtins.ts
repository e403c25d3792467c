import {createRequire} from 'node:module';

const load = createRequire(import.meta.url);

/**
 * Node built-ins that are costly as ES modules, loaded through require where used. Importing a built-in
 * builds a facade that reads every export, and some exports are lazy getters that load more: fetch's
 * undici behind node:http (~25 ms), and so on. Startup is a budget.
 */
export const builtins = {
  /** The request function for a URL's protocol (https's takes the TLS options too, which http's ignores). */
  requestFor: (url: string | URL): typeof import('node:https').request =>
    new URL(url).protocol === 'https:' ? (load('node:https') as typeof import('node:https')).request : (load('node:http') as typeof import('node:http')).request,
  childProcess: () => load('node:child_process') as typeof import('node:child_process'),
};

