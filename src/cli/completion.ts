/**
 * Shell completion the way gh and kubectl do it: a small script for the shell calls back into
 * `foggy __complete WORDS…`, which answers from the commands' own flags and the catalog's service names,
 * so completion is never out of date with either.
 */

export interface CompletableCommand {
  id: string;
  hidden?: boolean;
  flags: Record<string, {type: 'boolean' | 'option'; char?: string; options?: readonly string[]; hidden?: boolean}>;
}

/** Commands whose positional arguments are service names. */
const SERVICE_ARGS = new Set(['status', 'deploy', 'restart', 'log']);
/** Flags whose value is a service name. */
const SERVICE_FLAGS = new Set(['confirm']);

/** The candidates for the last word of `words` (the words after "foggy", the last one being typed). */
export function complete(words: string[], commands: CompletableCommand[], services: () => string[]): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const visible = commands.filter((command) => !command.hidden);
  const ids = visible.map((command) => command.id.split(':'));
  // The longest command id the words typed so far spell ("log show" before "log").
  let command: CompletableCommand | undefined;
  let depth = 0;
  for (const candidate of visible) {
    const parts = candidate.id.split(':');
    if (parts.length > depth && parts.every((part, index) => before[index] === part)) {
      command = candidate;
      depth = parts.length;
    }
  }
  const startsWith = (items: Iterable<string>) => [...items].filter((item) => item.startsWith(current));

  if (!command) return before.length === 0 ? startsWith(new Set(ids.map((parts) => parts[0]))) : [];

  const flags = Object.entries(command.flags).filter(([, flag]) => !flag.hidden);
  const previous = before.at(-1);
  const valueOf = previous?.startsWith('--') ? flags.find(([name, flag]) => `--${name}` === previous && flag.type === 'option') : undefined;
  if (valueOf) {
    const [name, flag] = valueOf;
    if (flag.options) return startsWith(flag.options);
    return SERVICE_FLAGS.has(name) ? startsWith(services()) : [];
  }
  if (current.startsWith('-')) return startsWith(flags.map(([name]) => `--${name}`));

  const subcommands = ids.filter((parts) => parts.length === depth + 1 && parts.slice(0, depth).join(':') === command.id).map((parts) => parts[depth]);
  const positional = before.slice(depth).filter((word, index, all) => !word.startsWith('-') && !(all[index - 1]?.startsWith('--') && flags.some(([name, flag]) => `--${name}` === all[index - 1] && flag.type === 'option')));
  const names = SERVICE_ARGS.has(command.id) && (command.id === 'status' || positional.length === 0) ? services() : [];
  return startsWith([...(positional.length === 0 ? subcommands : []), ...names]);
}

export const COMPLETION_SCRIPTS: Record<'bash' | 'zsh', string> = {
  bash: `# foggy completion for bash: add to ~/.bashrc:  eval "$(foggy completion bash)"
_foggy() {
  local IFS=$'\\n'
  COMPREPLY=($(foggy __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _foggy foggy
`,
  zsh: `# foggy completion for zsh: add to ~/.zshrc:  eval "$(foggy completion zsh)"
_foggy() {
  local -a candidates
  candidates=("\${(@f)$(foggy __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- \${candidates:#}
}
compdef _foggy foggy
`,
};
