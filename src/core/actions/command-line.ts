import type {CommandLine} from './types.js';

export interface ResolvedCommand {
  /** What is executed: argv[0] with its arguments; for a shell string, ["sh", "-c", string]. */
  argv: string[];
  shell: boolean;
  /** Variables added to the child's environment. */
  env: Record<string, string>;
}

export interface CommandInput {
  verb: string;
  service: string;
  ref?: string;
}

const PLACEHOLDER = /\{(ref|service|verb)\}/g;

/**
 * Turns a catalog command into what will be spawned.
 * An argv list never meets a shell: each element gets its placeholders filled, so a hostile --ref stays one argument.
 * A string goes to `sh -c` unchanged: user input reaches it only through FOGGY_* variables, never by splicing.
 */
export function resolveCommand(run: CommandLine, input: CommandInput, extraEnv: Record<string, string> = {}): ResolvedCommand {
  const env: Record<string, string> = {...extraEnv, FOGGY_VERB: input.verb, FOGGY_SERVICE: input.service};
  if (input.ref !== undefined) env.FOGGY_REF = input.ref;
  if (typeof run === 'string') return {argv: ['sh', '-c', run], shell: true, env};
  const values: Record<string, string> = {ref: input.ref ?? '', service: input.service, verb: input.verb};
  return {argv: run.map((part) => part.replace(PLACEHOLDER, (_, name: string) => values[name])), shell: false, env};
}

/** A copy-pasteable rendering of argv, for --dry-run and the record. */
export function displayCommand(command: ResolvedCommand): string {
  if (command.shell) return command.argv[2];
  return command.argv.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replaceAll("'", String.raw`'\''`)}'`)).join(' ');
}
