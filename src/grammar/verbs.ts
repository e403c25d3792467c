import {Args, Flags} from '@oclif/core';
import type {ActionRequest} from '../core/app/action.js';
import type {VerbOptions} from '../core/app/context.js';
import type {LogRequest} from '../core/app/log.js';
import type {RollbackRequest} from '../core/app/rollback.js';
import type {EndSilenceRequest, SilenceRequest} from '../core/app/silence.js';
import type {StatusRequest} from '../core/app/status.js';
import {OUTCOMES, VERBS, type Outcome, type Verb} from '../core/entry/types.js';
import {parseDuration} from '../core/text/duration.js';
import {MAX_LOG_LIMIT} from '../core/run/input-limits.js';
import {DAY_MS, durationFlag} from './duration-flag.js';
import {formatCount} from '../core/text/count.js';

/*
 * The verbs' words and flags, once, for every front end: the CLI's commands add their shell-only flags
 * (--json, --config, --yes …) to these, and chat parses what was typed after /foggy with these alone. Each
 * parsed result becomes the core's request here, so a deploy typed in a shell and one typed in chat are the
 * same request. Arguments never come from standard input (ignoreStdin): oclif would otherwise read a missing
 * one from a pipe, or from a server's stdin.
 */

export const DEFAULT_WAIT = '10m';

export const verbFlags = {
  reason: Flags.string({description: 'Why you are doing this; shown in the entry.', helpValue: 'TEXT'}),
  'dry-run': Flags.boolean({description: 'Show what would run, the entry that would be recorded and the message that would be posted; run and record nothing.', default: false}),
};

export const actionFlags = {
  ...verbFlags,
  wait: durationFlag({
    description: `When another deploy or restart of the service holds its lock, wait for it (up to DURATION, default ${DEFAULT_WAIT}) instead of refusing.`,
    helpValue: '[DURATION]',
  }),
};

export const statusGrammar = {
  strict: false,
  args: {service: Args.string({description: 'Services to check (default: all).', ignoreStdin: true})},
  flags: verbFlags,
};

export const deployGrammar = {
  strict: true,
  args: {service: Args.string({description: 'Service to deploy.', required: true, ignoreStdin: true})},
  flags: {
    ...actionFlags,
    ref: Flags.string({description: 'What to deploy (a tag, branch, version…); {ref} in the action, FOGGY_REF in its environment.', helpValue: 'REF'}),
  },
};

export const rollbackGrammar = {
  strict: true,
  args: {service: Args.string({description: 'Service to roll back.', required: true, ignoreStdin: true})},
  flags: {
    ...actionFlags,
    to: Flags.string({description: 'The earlier good deploy to go back to: its ref, or its entry id (default: the last good one before the current deploy).', helpValue: 'REF|ENTRY'}),
  },
};

export const restartGrammar = {
  strict: true,
  args: {service: Args.string({description: 'Service to restart.', required: true, ignoreStdin: true})},
  flags: actionFlags,
};

export const logGrammar = {
  strict: true,
  args: {service: Args.string({description: 'Only entries about this service.', ignoreStdin: true})},
  flags: {
    limit: Flags.integer({char: 'n', description: `How many entries to show (1 to ${formatCount(MAX_LOG_LIMIT)}).`, default: 20, min: 1, max: MAX_LOG_LIMIT}),
    verb: Flags.string({description: 'Only this verb.', options: [...VERBS]}),
    outcome: Flags.string({description: 'Only this outcome.', options: [...OUTCOMES]}),
    who: Flags.string({description: 'Only runs by this person (login, user@host, CI actor, Slack user id or name).', helpValue: 'PERSON'}),
    since: durationFlag({description: 'Only runs started within this long (30m, 24h, 7d).', max: 100 * 365 * DAY_MS}),
  },
};

/** A time a person gives: an ISO time, with its zone or in the local one ("2026-12-07T06:00"). */
export const instantFlag = (description: string) =>
  Flags.custom<number>({
    description,
    helpValue: 'TIME',
    parse: async (input) => {
      const at = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(input) ? Date.parse(input.replace(' ', 'T')) : Number.NaN;
      if (Number.isNaN(at)) throw new Error(`expected a time such as 2026-12-07T06:00 (local) or 2026-12-07T05:00Z (got ${JSON.stringify(input)})`);
      return at;
    },
  })();

export const silenceGrammar = {
  strict: false,
  args: {service: Args.string({description: 'Services to silence (none: list the silences in force).', ignoreStdin: true})},
  flags: {
    for: durationFlag({description: 'How long it lasts: 1m to 7d (30m, 1h, 2d).', min: 60_000, max: 7 * DAY_MS, helpValue: 'DURATION'}),
    until: instantFlag('Until when, instead of --for (an ISO time; without a zone, local time).'),
    reason: Flags.string({description: 'Why (required to silence): shown in the channel and to whoever looks later.', helpValue: 'TEXT'}),
    end: Flags.string({description: 'End this silence now (its id, or a unique prefix).', helpValue: 'ID', exclusive: ['for', 'until']}),
    'dry-run': Flags.boolean({description: 'Show the silence and the message it would post; set and record nothing.', default: false}),
  },
};

export interface ParsedSilence {
  argv: string[];
  flags: {for?: number; until?: number; reason?: string; end?: string; 'dry-run': boolean};
}

/** What a silence command asks for: list the silences (nothing given), end one, or set one. */
export type SilenceAsk = {kind: 'list'} | {kind: 'end'; request: EndSilenceRequest} | {kind: 'set'; request: SilenceRequest};

export function silenceAsk(parsed: ParsedSilence, front: FrontEnd): SilenceAsk {
  const {flags, argv} = parsed;
  if (flags.end !== undefined) return {kind: 'end', request: {...front, id: flags.end, reason: flags.reason}};
  if (argv.length === 0 && flags.for === undefined && flags.until === undefined && flags.reason === undefined) return {kind: 'list'};
  return {kind: 'set', request: {...front, services: argv, forMs: flags.for, until: flags.until, reason: flags.reason, dryRun: flags['dry-run']}};
}

/** `--wait` may stand alone: it takes the default duration unless a duration follows. */
export function withWaitDefault(argv: string[]): string[] {
  const at = argv.indexOf('--wait');
  if (at === -1 || (argv[at + 1] !== undefined && isDuration(argv[at + 1]))) return argv;
  return [...argv.slice(0, at), `--wait=${DEFAULT_WAIT}`, ...argv.slice(at + 1)];
}

/** What the front end adds to every verb request: what was typed, where, and its own options. */
export type FrontEnd = Omit<VerbOptions, 'reason'>;

export interface ParsedVerb {
  reason?: string;
  'dry-run': boolean;
}

export function statusRequest(parsed: {argv: string[]; flags: ParsedVerb}, front: FrontEnd): StatusRequest {
  return {...front, reason: parsed.flags.reason, services: parsed.argv, dryRun: parsed.flags['dry-run']};
}

export function actionRequest(parsed: {args: {service: string}; flags: ParsedVerb & {ref?: string; wait?: number}}, front: FrontEnd): ActionRequest {
  return {...front, reason: parsed.flags.reason, service: parsed.args.service, ref: parsed.flags.ref, dryRun: parsed.flags['dry-run'], waitMs: parsed.flags.wait ?? 0};
}

export function rollbackRequest(parsed: {args: {service: string}; flags: ParsedVerb & {to?: string; wait?: number}}, front: FrontEnd): RollbackRequest {
  return {...front, reason: parsed.flags.reason, service: parsed.args.service, to: parsed.flags.to, dryRun: parsed.flags['dry-run'], waitMs: parsed.flags.wait ?? 0};
}

export function logRequest(parsed: {args: {service?: string}; flags: {limit: number; verb?: string; outcome?: string; who?: string; since?: number}}): LogRequest {
  const {limit, verb, outcome, who, since} = parsed.flags;
  return {service: parsed.args.service, limit, verb: verb as Verb | undefined, outcome: outcome as Outcome | undefined, who, sinceMs: since};
}

/** Whether a word is a duration ("30m", "1h", "2d"): where a grammar lets one stand without its flag. */
export function isDuration(word: string): boolean {
  try {
    parseDuration(word);
    return true;
  } catch {
    return false;
  }
}
