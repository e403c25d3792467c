import type {ErrorObject} from 'ajv';
import {validate as compiled} from './catalog-validator.generated.js';

/** One schema violation, located by its path inside the document. */
export interface SchemaProblem {
  /** Path of the offending value (keys and indexes). */
  path: (string | number)[];
  /** When the problem is a key itself (unknown key), its name. */
  key?: string;
  expected: string;
}

interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * Validates a parsed catalog against the published JSON Schema (compiled at build time by
 * scripts/compile-schema.js, so Ajv itself never loads at run time); returns the problems, most useful first.
 */
export function validateCatalogData(data: unknown): SchemaProblem[] {
  const validate = compiled as CompiledValidator;
  if (validate(data)) return [];
  return summarise(validate.errors ?? []);
}

function pathOf(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function describe(error: ErrorObject): string {
  // Descriptions that name a kind of value ("a duration such as …") make good expectations; others explain a key.
  const description = (error.parentSchema as {description?: string} | undefined)?.description;
  const schema = description && /^(a|an) /.test(description) ? {description} : undefined;
  switch (error.keyword) {
    case 'required': {
      return `the key "${(error.params as {missingProperty: string}).missingProperty}"`;
    }
    case 'additionalProperties': {
      return 'no such key';
    }
    case 'const': {
      return `the value ${JSON.stringify((error.params as {allowedValue: unknown}).allowedValue)}`;
    }
    case 'enum': {
      return `one of ${(error.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'type': {
      return schema?.description ?? `a value of type ${(error.params as {type: string}).type}`;
    }
    default: {
      return schema?.description ?? error.message ?? 'a valid value';
    }
  }
}

/**
 * Ajv reports every branch of every anyOf; a person wants the one error that explains the mistake.
 * Errors inside an anyOf branch are dropped when the anyOf itself is reported (its description says it all),
 * and "if" errors are noise by construction.
 */
function summarise(errors: ErrorObject[]): SchemaProblem[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath.replace(/\/anyOf$/, '/anyOf/'));
  const useful = errors.filter((e) => e.keyword !== 'if' && !anyOfPaths.some((p) => e.schemaPath.startsWith(p)));
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of useful) {
    const path = pathOf(error.instancePath);
    let key: string | undefined;
    if (error.keyword === 'additionalProperties') key = (error.params as {additionalProperty: string}).additionalProperty;
    if (error.keyword === 'propertyNames') key = (error.params as {propertyName: string}).propertyName;
    if (error.keyword === 'pattern' && error.propertyName !== undefined) key = error.propertyName;
    const problem: SchemaProblem = {path, key, expected: describe(error)};
    const id = JSON.stringify([problem.path, problem.key, problem.expected]);
    if (error.keyword === 'propertyNames' || seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  // Deepest first: the innermost problem is the one to fix.
  return problems.sort((a, b) => b.path.length - a.path.length);
}
