import {readFileSync} from 'node:fs';
import {Ajv, type ValidateFunction} from 'ajv';

/**
 * The published JSON contract, enforced: every --json output an end-to-end test produces is validated
 * against its command's schema in schema/json/ (and every failure against the error schema).
 */
const ajv = new Ajv({allErrors: true, strict: false});
const compiled = new Map<string, ValidateFunction>();

function validator(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL(`../../schema/json/${name}.schema.json`, import.meta.url), 'utf8'));
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

/** The schema a command's --json output follows, from its arguments. */
export function schemaFor(args: string[]): string | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const [command, sub] = words;
  if (command === 'deploy' || command === 'restart' || command === 'rollback') return 'action';
  if (command === 'log') return sub === 'show' ? 'log-show' : args.includes('-f') || args.includes('--follow') ? 'log-follow' : 'log';
  if (command === 'outbox') return args.some((arg) => /^--(flush|retry|drop)/.test(arg)) ? 'outbox-flush' : 'outbox';
  if (['status', 'services', 'doctor', 'login', 'logout', 'watch', 'report', 'silence', 'uptime'].includes(command)) return command;
  return undefined;
}

/** Throws, naming the schema and what does not match, unless `stdout` is valid --json output for `args`. */
export function checkJsonOutput(args: string[], stdout: string): void {
  if (!args.includes('--json') || args.includes('--help') || args.includes('-h')) return;
  const name = schemaFor(args);
  const lineByLine = (name === 'log-follow' || name === 'watch') && !isOneDocument(stdout);
  const documents = lineByLine ? stdout.split('\n').filter((line) => line.trim()) : stdout.trim() ? [stdout] : [];
  for (const text of documents) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`foggy ${args.join(' ')}: --json printed something that is not JSON:\n${text.slice(0, 500)}`);
    }
    const failure = typeof value === 'object' && value !== null && (value as {ok?: unknown}).ok === false && 'error' in value && !('entry' in value);
    const schema = failure ? 'error' : name;
    if (!schema) throw new Error(`foggy ${args.join(' ')}: no schema for this command's --json output`);
    const validate = validator(schema);
    if (!validate(value)) throw new Error(`foggy ${args.join(' ')}: --json output does not match schema/json/${schema}.schema.json: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 1000)}`);
  }
}

/** A failure prints one (pretty-printed) error object, even where the output is otherwise one object per line. */
function isOneDocument(stdout: string): boolean {
  try {
    JSON.parse(stdout);
    return stdout.trim().startsWith('{') && stdout.includes('\n  ');
  } catch {
    return false;
  }
}
