import type {FoggyError} from '../core/errors/foggy-error.js';
import type {Remedy} from '../core/errors/remedy.js';

/**
 * What to do, in chat's words: what to type after the slash command, or, for what only the people who run
 * foggy serve can change (its token, its files), that an admin must.
 */
export function chatRemedy(remedy: Remedy, command: string): string | undefined {
  switch (remedy.do) {
    case 'connect':
    case 'rewrite-settings':
    case 'check-setup': {
      return 'An admin of foggy serve must fix its Slack token (`foggy doctor` on its host says how).';
    }
    case 'choose-channel': {
      return 'An admin must set the channel in foggy.yml.';
    }
    case 'list-entries': {
      return `\`${command} log\` lists entries and their ids.`;
    }
    case 'list-silences': {
      return `\`${command} silence\` lists the silences in force and their ids.`;
    }
    case 'see-outbox': {
      return 'It waits in foggy serve\'s outbox and goes out when Slack takes it.';
    }
    case 'give': {
      if (remedy.field === 'service') return `Name at least one${remedy.example ? `, for example: ${remedy.example}` : ''}.`;
      return remedy.example ? `For example: --${remedy.field} "${remedy.example}"` : `Add --${remedy.field}.`;
    }
    case 'wait': {
      return `Add --wait 10m to wait for it: ${command} … --wait 10m`;
    }
    case 'confirm': {
      return 'From chat, a protected service asks for approval with buttons.';
    }
    case 'point-catalog':
    case 'stop-other': {
      return undefined;
    }
  }
}

/** A failure in chat's words: the core says what is wrong, chat how to type it differently. */
export function chatPhrase(error: FoggyError, command: string): {message: string; hint?: string} {
  const data = error.data as Record<string, string | number>;
  const hint = [error.hint, error.remedy && chatRemedy(error.remedy, command)].filter((part) => part).join(' ') || undefined;
  switch (error.code) {
    case 'invalid_input': {
      return {message: `--${data.field}: ${data.problem}`};
    }
    case 'ref_required': {
      return {message: `${data.verb} ${data.service} needs --ref: its action uses {ref}. Nothing ran.`, hint: `For example: ${command} ${data.verb} ${data.service} --ref v1.2.3`};
    }
    case 'catalog_not_found': {
      return {message: `foggy serve cannot read its foggy.yml: ${error.message}`};
    }
    case 'internal': {
      return {message: error.message, hint: 'This is a bug in foggy: its log has the details. Whether the action ran, `/foggy log` and the channel say.'};
    }
    default: {
      return {message: error.message, hint};
    }
  }
}
