import type {FoggyError} from '../core/errors/foggy-error.js';

/** A failure in chat's words: the core says what is wrong, chat how to type it differently. */
export function chatPhrase(error: FoggyError, command: string): {message: string; hint?: string} {
  const data = error.data as Record<string, string | number>;
  switch (error.code) {
    case 'invalid_input': {
      return {message: `--${data.field}: ${data.problem}`};
    }
    case 'ref_required': {
      return {message: `${data.verb} ${data.service} needs --ref: its action uses {ref}. Nothing ran.`, hint: `For example: ${command} ${data.verb} ${data.service} --ref v1.2.3`};
    }
    case 'service_locked': {
      return {message: error.message, hint: error.hint ?? `Add --wait 10m to wait for it: ${command} … --wait 10m`};
    }
    case 'catalog_not_found': {
      return {message: `foggy serve cannot read its foggy.yml: ${error.message}`};
    }
    default: {
      return {message: error.message, hint: error.hint};
    }
  }
}
