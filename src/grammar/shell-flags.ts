import {Flags} from '@oclif/core';

/**
 * The shell's own options, which chat does not take, each with what to do instead from chat. The CLI's
 * commands take these definitions from here, and chat answers one typed after /foggy with its alternative:
 * one list, so a new shell option cannot reach chat unexplained.
 */
const FROM_CHAT_APPROVAL = 'From chat, a protected service asks for approval with buttons; there is nothing to skip it.';

const SHELL_ONLY = {
  json: {
    flag: Flags.boolean({description: 'Print a JSON object on stdout instead of text (its schema: schema/json/ in the package).', default: false}),
    fromChat: 'It is an option of the shell; chat answers in messages.',
  },
  config: {
    flag: Flags.string({description: 'Path to foggy.yml (default: found from the working directory upward; env FOGGY_CONFIG).', helpGroup: 'GLOBAL'}),
    fromChat: 'foggy serve answers from its own foggy.yml.',
  },
  channel: {
    flag: Flags.string({description: 'Slack channel for this run\'s entry (#name or id; env FOGGY_CHANNEL).'}),
    fromChat: 'The entry goes to the channel you typed in (from a direct message, the channel foggy.yml names).',
  },
  yes: {
    flag: Flags.boolean({char: 'y', description: 'Confirm any protected service without the typed prompt.', default: false}),
    fromChat: FROM_CHAT_APPROVAL,
  },
  confirm: {
    flag: Flags.string({description: 'Confirm this protected service by name, without the prompt (scripts; a different name refuses).', helpValue: 'SERVICE'}),
    fromChat: FROM_CHAT_APPROVAL,
  },
  'require-mirror': {
    flag: Flags.boolean({description: 'Refuse to run (exit 3) unless the start of the run reaches the channel (also mirror.required in foggy.yml).', default: false}),
    fromChat: 'It is an option of the shell.',
  },
  follow: {
    flag: Flags.boolean({char: 'f', description: 'Keep running and print entries as they finish.', default: false}),
    fromChat: 'It is an option of the shell; the channel shows each entry as it is recorded.',
  },
  local: {
    flag: Flags.boolean({description: 'Read the local journal even when Slack is connected.', default: false}),
    fromChat: 'It is an option of the shell: foggy serve reads the channel.',
  },
};

type ShellFlagName = keyof typeof SHELL_ONLY;

/** The definitions, for the CLI's commands. */
export const shellFlags = Object.fromEntries(Object.entries(SHELL_ONLY).map(([name, {flag}]) => [name, flag])) as {[K in ShellFlagName]: (typeof SHELL_ONLY)[K]['flag']};

/** What to do from chat instead of a shell-only option, by its name or its one-letter form; undefined for any other word. */
export function fromChat(name: string): string | undefined {
  for (const [flagName, {flag, fromChat: instead}] of Object.entries(SHELL_ONLY)) {
    if (name === flagName || ('char' in flag && flag.char === name)) return instead;
  }
  return undefined;
}
