import type {Catalog} from '../catalog/types.js';
import {whereAmI, whoAmI} from './context.js';
import {newEntryId} from './id.js';
import type {Entry, Verb, Where, Who} from './types.js';

export interface Invocation {
  /** Who the front end says runs it (a chat front end's Slack user); else found from the environment. */
  who?: Who;
  /** Where the front end says it comes from (a chat channel); else this machine: its terminal or CI job. */
  where?: Where;
  verb: Verb;
  services: string[];
  args: Record<string, string>;
  /** What was typed, as the front end shows it ("foggy deploy web --ref v2", "/foggy deploy web"). */
  commandLine: string;
  reason?: string;
  /** Who approved it, when a second person had to (a Slack user id). */
  confirmedBy?: string;
  channel?: string;
  command?: string;
  /** A rollback: the entry of the deploy it undoes. */
  rollbackOf?: string;
}

/** A new, running entry for an invocation; `mask` hides secrets in what the user typed. */
export function buildEntry(invocation: Invocation, catalog: Catalog, mask: (text: string) => string, options: {env?: NodeJS.ProcessEnv; cwd?: string; now?: Date; slackUser?: string} = {}): Entry {
  const env = options.env ?? process.env;
  return {
    id: newEntryId(),
    verb: invocation.verb,
    services: invocation.services,
    args: Object.fromEntries(Object.entries(invocation.args).map(([key, value]) => [key, mask(value)])),
    commandLine: mask(invocation.commandLine),
    command: invocation.command === undefined ? undefined : mask(invocation.command),
    who: invocation.who ?? whoAmI(env, options.slackUser),
    where: invocation.where ?? whereAmI(catalog.dir, env, options.cwd),
    reason: invocation.reason === undefined ? undefined : mask(invocation.reason),
    confirmedBy: invocation.confirmedBy,
    ...(invocation.rollbackOf ? {rollbackOf: invocation.rollbackOf} : {}),
    channel: invocation.channel,
    catalog: catalog.file,
    pid: process.pid,
    startedAt: (options.now ?? new Date()).toISOString(),
    outcome: 'running',
  };
}
