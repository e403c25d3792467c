import type {BaseCheck} from '../check-types.js';
import type {Deadline} from '../deadline.js';
import type {Settle} from '../types.js';

/**
 * One kind of check (http, tcp, dns, command), whole: how foggy.yml writes it (its JSON Schema and the
 * variables it may use), how it is normalised, what of it is secret, and how it is probed. The catalog,
 * the masks and the checks read the registry (index.ts): a new kind is one module and its tests.
 */
export interface CheckKind<C extends BaseCheck = BaseCheck> {
  readonly type: C['type'];
  /** The key that makes an object of the status list a check of this kind (`http: URL`), holding its target. */
  readonly key: string;
  /** JSON Schema of such a check, as it appears under definitions in schema/foggy.schema.json. */
  readonly schema: Record<string, unknown>;
  /** Keys whose text may use ${VAR}: plain ones, maps whose every value may, and when a value is a secret. */
  readonly variables: {keys: string[]; maps?: string[]; secret?: (key: string, raw: string) => boolean};
  /** The checked, defaulted form of a raw check that passed the schema; problems through `context.located`. */
  normalise(raw: RawCheck, context: NormaliseContext): C;
  /** What of the check must never be shown (a password, a header's token). */
  secrets(check: C): string[];
  /** Runs the check; `settle` hears its outcome, or the error that kept it from one. */
  probe(check: C, deadline: Deadline, context: ProbeContext, settle: Settle): void;
}

export type {BaseCheck} from '../check-types.js';

export type RawCheck = Record<string, unknown> & {timeout?: string | number; name?: string};

type Path = (string | number)[];

export interface NormaliseContext {
  path: Path;
  /** The check's timeout, every kind's, already read (or the default). */
  timeoutMs: number;
  /** A usage error placed at `path` in the file. */
  located: (path: Path, message: string) => Error;
  /** A checked duration in milliseconds (the default when absent). */
  duration: (value: string | number | undefined, fallback: number, path: Path) => number;
  /** A regular expression that compiles and cannot take exponential time. */
  regex: (pattern: string, path: Path) => void;
  /** The catalog's directory: files named by a check are relative to it. */
  dir: string;
}

export interface ProbeContext {
  /** Where command checks run: the catalog's directory. */
  cwd: string;
  service: string;
  /** The environment the checks see (proxies, for one). */
  env: NodeJS.ProcessEnv;
}
