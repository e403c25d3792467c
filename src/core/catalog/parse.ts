import {dirname} from 'node:path';
import {CORE_SCHEMA, load as loadQuickly} from 'js-yaml';
import {isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document} from 'yaml';
import {parseDuration} from '../text/duration.js';
import {MAX_DURATION_MS} from '../text/bounded-duration.js';
import {usageError} from '../errors/foggy-error.js';
import {DEFAULT_ACTION_TIMEOUT_MS, DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_CONFIRM_WITHIN_MS, DEFAULT_MIRROR_BUDGET_MS, DEFAULT_WATCH} from './defaults.js';
import {ACTION_VERBS, type Action, type ActionVerb, type Catalog, type ChatAllow, type Check, type CommandLine, type Service, type WatchSettings} from './types.js';
import {validateCatalogData, type SchemaProblem} from './validate.js';
import safeRegex from 'safe-regex2';
import {expandCheckTargets} from './expand-checks.js';
import {kindFor} from '../checks/kinds/index.js';
import type {RawCheck} from '../checks/kinds/kind.js';
import {formatCount} from '../text/count.js';
import {knownTimeZone, WEEKDAYS, type MaintenanceWindow, type Weekday} from '../quiet/maintenance.js';

/**
 * Parses, validates and normalises a catalog's text. Any problem is a usage error (exit 2) naming file:line:column.
 *
 * Two parsers: js-yaml reads a valid catalog several times faster and with a fraction of the memory (a
 * thousand services: about 70 ms instead of 200, on a run whose catalog changed), but knows no positions;
 * yaml keeps every node's place in the text. So js-yaml reads first, without aliases or tags, and anything
 * it or the checks after it find wrong is read again by yaml, whose answer (and message) is the one given.
 */
export function parseCatalog(text: string, file: string, env: NodeJS.ProcessEnv = process.env, info: {secretsFromEnvironment?: boolean} = {}): Catalog {
  const quick = quickRead(text);
  if (quick.ok) {
    try {
      const needsPositions = () => new NeedsPositions();
      return build(quick.data, file, env, info, needsPositions, needsPositions);
    } catch (error) {
      if (!(error instanceof NeedsPositions)) throw error;
    }
  }
  return parseWithPositions(text, file, env, info);
}

/** The fast read found a problem: the careful one says where. */
class NeedsPositions extends Error {}

function quickRead(text: string): {ok: true; data: unknown} | {ok: false} {
  try {
    // Duplicate keys throw (json: false); aliases are refused here and left to yaml and its alias limit.
    return {ok: true, data: loadQuickly(text, {schema: CORE_SCHEMA, json: false, maxAliases: 0})};
  } catch {
    return {ok: false};
  }
}

/** What both readings do with the data: variables filled in, the schema checked, defaults filled in. */
function build(data: unknown, file: string, env: NodeJS.ProcessEnv, info: {secretsFromEnvironment?: boolean}, located: Locate, invalid: (problems: SchemaProblem[]) => Error): Catalog {
  info.secretsFromEnvironment = expandCheckTargets(data, env, located).secretsFromEnvironment;
  const problems = validateCatalogData(data);
  if (problems.length > 0) throw invalid(problems);
  return normalise(data as RawCatalog, file, located);
}

export function parseWithPositions(text: string, file: string, env: NodeJS.ProcessEnv, info: {secretsFromEnvironment?: boolean}): Catalog {
  const lineCounter = new LineCounter();
  // yaml's own check of unique keys compares each key with every key before it: a map of 20,000 keys took seconds.
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: false});
  const error = doc.errors[0] ?? duplicateKey(doc);
  if (error) {
    const {line, col} = lineCounter.linePos(error.pos[0]);
    throw usageError(`${file}:${line}:${col}: invalid YAML: ${error.message.split('\n')[0]}`);
  }

  let data: unknown;
  try {
    // Aliases expand into copies: a few lines can ask for billions of nodes. yaml refuses past its alias limit.
    data = doc.toJS({maxAliasCount: 100});
  } catch (error) {
    throw usageError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const located = (path: (string | number)[], message: string) =>
    usageError(`${locate(file, doc, lineCounter, path)}: ${dotted(path)}: ${message}`);
  return build(data, file, env, info, located, (problems) => usageError(formatProblems(file, doc, lineCounter, problems)));
}

/** The first key that a map repeats (a scalar of the same type and value), where yaml would report it. */
function duplicateKey(doc: Document): {pos: [number, number]; message: string} | undefined {
  let found: {pos: [number, number]; message: string} | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = `${typeof pair.key.value}:${String(pair.key.value)}`;
        if (seen.has(key)) {
          found = {pos: pair.key.range ? [pair.key.range[0], pair.key.range[1]] : [0, 0], message: 'Map keys must be unique'};
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function dotted(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

function locate(file: string, doc: Document, lineCounter: LineCounter, path: (string | number)[], key?: string): string {
  let offset = 0;
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
  } else if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
    offset = node.range[0];
  }
  const {line, col} = lineCounter.linePos(offset);
  return `${file}:${line}:${col}`;
}

function formatProblems(file: string, doc: Document, lineCounter: LineCounter, problems: SchemaProblem[]): string {
  const lines = problems.slice(0, 5).map((problem) => {
    const where = locate(file, doc, lineCounter, problem.path, problem.key);
    const name = problem.key === undefined ? dotted(problem.path) : dotted([...problem.path, problem.key]);
    const got = problem.key === undefined ? describeValue(problem.path.length === 0 ? doc.toJS() : doc.getIn(problem.path)) : '';
    return `${where}: ${name}: expected ${problem.expected}${got}`;
  });
  if (problems.length > 5) lines.push(`… and ${problems.length - 5} more`);
  return lines.join('\n');
}

function describeValue(value: unknown): string {
  if (value === undefined || (typeof value === 'object' && value !== null)) return '';
  return ` (got ${JSON.stringify(value)})`;
}

// The raw shapes below are guaranteed by the schema; normalise only fills defaults and converts units.
interface RawAction {run: CommandLine; timeout?: string | number; env?: Record<string, string>}
interface RawWatch {
  interval?: string | number;
  down_after?: number;
  up_after?: number;
  remind?: string | number;
  flapping?: {changes?: number; window?: string | number};
  grace_after_action?: string | number;
}
interface RawMaintenance {
  every?: Weekday[];
  start: string;
  duration: string | number;
  timezone?: string;
  services?: string[];
}
interface RawService {
  chat?: {allow?: ChatAllow; approvers?: string[]};
  watch?: RawWatch;
  alert?: {mention?: string[]};
  depends_on?: string[];
  description?: string;
  protected?: boolean;
  channel?: string;
  status?: RawCheck[];
  deploy?: RawAction;
  restart?: RawAction;
  rollback?: RawAction;
}
interface RawCatalog {
  coordination?: {postgres?: string; ttl?: string | number; fallback?: 'refuse' | 'local'};
  chat?: {allow?: ChatAllow; confirm_within?: string | number};
  watch?: RawWatch & {maintenance?: RawMaintenance[]; listen?: string};
  page?: {show_targets?: boolean; timezone?: string; title?: string};
  alert?: {mention?: string[]};
  channel?: string;
  mirror?: {required?: boolean; budget?: string | number};
  redact?: string[];
  services: Record<string, RawService>;
}

type Locate = (path: (string | number)[], message: string) => Error;

function normalise(raw: RawCatalog, file: string, located: Locate): Catalog {
  (raw.redact ?? []).forEach((pattern, index) => compiles(pattern, ['redact', index], located));
  const count = Object.keys(raw.services).length;
  if (count > MAX_SERVICES) throw located(['services'], `at most ${formatCount(MAX_SERVICES)} services (got ${formatCount(count)})`);
  const duration = (value: string | number | undefined, fallback: number, path: (string | number)[]) => checkedDuration(value, fallback, path, located);
  const services = new Map<string, Service>();
  for (const [name, service] of Object.entries(raw.services)) {
    const actions: Partial<Record<ActionVerb, Action>> = {};
    for (const verb of ACTION_VERBS) {
      const action = service[verb];
      if (action) {
        nonEmptyCommand(action.run, ['services', name, verb, 'run'], located);
        actions[verb] = {run: action.run, timeoutMs: duration(action.timeout, DEFAULT_ACTION_TIMEOUT_MS, ['services', name, verb, 'timeout']), env: action.env ?? {}};
      }
    }
    services.set(name, {
      name,
      description: service.description,
      protected: service.protected ?? false,
      channel: service.channel,
      checks: (service.status ?? []).map((check, index) => normaliseCheck(check, ['services', name, 'status', index], located, duration, dirname(file))),
      actions,
      watch: watchSettings(raw.watch, service.watch, name, duration),
      dependsOn: service.depends_on ?? [],
      mention: service.alert?.mention ?? raw.alert?.mention ?? [],
      chat: {allow: service.chat?.allow ?? {}, approvers: service.chat?.approvers ?? []},
    });
  }
  checkDependencies(services, located);
  return {
    file,
    dir: dirname(file),
    channel: raw.channel,
    mirror: {required: raw.mirror?.required ?? false, budgetMs: duration(raw.mirror?.budget, DEFAULT_MIRROR_BUDGET_MS, ['mirror', 'budget'])},
    redact: raw.redact ?? [],
    coordination: {
      postgres: raw.coordination?.postgres,
      ttlMs: raw.coordination?.ttl === undefined ? undefined : duration(raw.coordination.ttl, 0, ['coordination', 'ttl']),
      fallback: raw.coordination?.fallback ?? 'refuse',
    },
    chat: {allow: raw.chat?.allow ?? {}, confirmWithinMs: duration(raw.chat?.confirm_within, DEFAULT_CONFIRM_WITHIN_MS, ['chat', 'confirm_within'])},
    maintenance: (raw.watch?.maintenance ?? []).map((window, index) => maintenanceWindow(window, ['watch', 'maintenance', index], services, located)),
    ...(raw.watch?.listen ? {listen: raw.watch.listen} : {}),
    page: pageSettings(raw.page, located),
    services,
  };
}

type Duration = (value: string | number | undefined, fallback: number, path: (string | number)[]) => number;

/** The catalog's watch settings, overridden key by key by the service's own. */
function watchSettings(catalog: RawWatch | undefined, own: RawWatch | undefined, name: string, duration: Duration): WatchSettings {
  const pick = <K extends keyof RawWatch>(key: K): [RawWatch[K], (string | number)[]] =>
    own?.[key] === undefined ? [catalog?.[key], ['watch', key]] : [own[key], ['services', name, 'watch', key]];
  const [interval, intervalAt] = pick('interval');
  const [remind, remindAt] = pick('remind');
  const [flapping, flappingAt] = pick('flapping');
  const [grace, graceAt] = pick('grace_after_action');
  return {
    intervalMs: duration(interval, DEFAULT_WATCH.intervalMs, intervalAt),
    downAfter: pick('down_after')[0] ?? DEFAULT_WATCH.downAfter,
    upAfter: pick('up_after')[0] ?? DEFAULT_WATCH.upAfter,
    remindMs: remind === 0 ? 0 : duration(remind, DEFAULT_WATCH.remindMs, remindAt),
    flapping: {
      changes: flapping?.changes ?? DEFAULT_WATCH.flapping.changes,
      windowMs: duration(flapping?.window, DEFAULT_WATCH.flapping.windowMs, [...flappingAt, 'window']),
    },
    graceAfterActionMs: grace === 0 ? 0 : duration(grace, DEFAULT_WATCH.graceAfterActionMs, graceAt),
  };
}

function pageSettings(raw: RawCatalog['page'], located: Locate): Catalog['page'] {
  const timeZone = raw?.timezone ?? 'UTC';
  if (!knownTimeZone(timeZone)) throw located(['page', 'timezone'], `expected a time zone such as Europe/Berlin or UTC (got ${JSON.stringify(timeZone)}, which is not one)`);
  return {showTargets: raw?.show_targets ?? false, timeZone, ...(raw?.title ? {title: raw.title} : {})};
}

/** Windows last at most a week: a longer quiet is a silence to set, or a service to take out of the catalog. */
const MAX_WINDOW_MS = 7 * 86_400_000;

function maintenanceWindow(raw: RawMaintenance, path: (string | number)[], services: Map<string, Service>, located: Locate): MaintenanceWindow {
  const durationMs = parseDuration(raw.duration);
  if (durationMs < 60_000 || durationMs > MAX_WINDOW_MS) throw located([...path, 'duration'], `expected a duration from 1m to 7 days (168h) (got ${JSON.stringify(raw.duration)})`);
  const timeZone = raw.timezone ?? 'UTC';
  if (!knownTimeZone(timeZone)) throw located([...path, 'timezone'], `expected a time zone such as Europe/Berlin or UTC (got ${JSON.stringify(timeZone)}, which is not one)`);
  (raw.services ?? []).forEach((name, index) => {
    if (!services.has(name)) throw located([...path, 'services', index], `no service "${name}" in the catalog`);
  });
  const [hours, minutes] = raw.start.split(':').map(Number);
  return {every: raw.every ?? [...WEEKDAYS], startMinute: hours * 60 + minutes, durationMs, timeZone, services: raw.services};
}

/** depends_on names services of the catalog, and never comes back round to the service itself. */
function checkDependencies(services: Map<string, Service>, located: Locate): void {
  for (const service of services.values()) {
    service.dependsOn.forEach((other, index) => {
      if (!services.has(other)) throw located(['services', service.name, 'depends_on', index], `no service "${other}" in the catalog`);
    });
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]) => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw located(['services', name, 'depends_on'], `a dependency cycle: ${[...trail, name].join(' → ')}`);
    visiting.add(name);
    for (const other of services.get(name)!.dependsOn) visit(other, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of services.keys()) visit(name, []);
}

/** A catalog larger than this is refused: it would cost seconds to load on every run. */
export const MAX_SERVICES = 10_000;

function checkedDuration(value: string | number | undefined, fallback: number, path: (string | number)[], located: Locate): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(value);
  if (ms < 1 || ms > MAX_DURATION_MS) throw located(path, `expected a duration from 1ms to 24h (got ${JSON.stringify(value)})`);
  return ms;
}

function nonEmptyCommand(run: CommandLine, path: (string | number)[], located: Locate): void {
  const program = Array.isArray(run) ? run[0] : run;
  if (!program || !program.trim()) throw located(path, `expected a command to run (got ${JSON.stringify(run)})`);
}

function compiles(pattern: string, path: (string | number)[], located: Locate): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw located(path, `expected a regular expression (${(error as Error).message})`);
  }
  // Nested repetition ((a+)+) can take exponential time on a long line: it could hang every run.
  if (!safeRegex(pattern)) throw located(path, 'expected a regular expression without nested repetition such as (a+)+, which can take exponential time');
}

/** A check normalised by its kind (the registry in checks/kinds), after what every kind shares: its timeout. */
function normaliseCheck(raw: RawCheck, path: (string | number)[], located: Locate, duration: Duration, dir: string): Check {
  const kind = kindFor(raw);
  // The schema lets no check through without one of the kinds' keys.
  if (!kind) throw located(path, 'expected a check with one of the keys http, tcp, dns or command');
  const timeoutMs = duration(raw.timeout, DEFAULT_CHECK_TIMEOUT_MS, [...path, 'timeout']);
  return kind.normalise(raw, {path, located, duration, timeoutMs, dir, regex: (pattern, at) => compiles(pattern, at, located)});
}
