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
  /**
   * The agent for checks: connections kept alive and shared, at most CHECK_SOCKETS per origin. A status of
   * a thousand services behind one load balancer reuses connections instead of opening a thousand at once,
   * which cost more time and memory than the requests themselves.
   */
  checkAgent(url: string | URL): import('node:http').Agent {
    const https = new URL(url).protocol === 'https:';
    const key = https ? 'https' : 'http';
    agents[key] ??= new ((https ? load('node:https') : load('node:http')) as typeof import('node:http')).Agent({keepAlive: true, maxSockets: CHECK_SOCKETS});
    return agents[key];
  },
};

const CHECK_SOCKETS = 128;
const agents: {http?: import('node:http').Agent; https?: import('node:http').Agent} = {};
