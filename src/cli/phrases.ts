import type {FoggyError} from '../core/errors/foggy-error.js';

/** The options of the CLI, by the field name the core gives a value (ref, reason, channel …). */
const FLAG_OF: Record<string, string> = {ref: '--ref', reason: '--reason', channel: '--channel', 'slack-user': '--slack-user'};

/**
 * A failure in the shell's own words: the core says what is wrong, the CLI which flag fixes it. (A chat front
 * end says the same in its own way.)
 */
export function cliPhrase(error: FoggyError): {message: string; hint?: string} {
  const data = error.data as Record<string, string | number>;
  switch (error.code) {
    case 'invalid_input': {
      const flag = FLAG_OF[String(data.field)];
      return {message: flag ? `${flag}: ${data.problem}` : error.message, hint: error.hint};
    }
    case 'catalog_not_found': {
      return {message: error.message, hint: 'Create one (see examples/hello-world/foggy.yml), or point to it with --config or FOGGY_CONFIG.'};
    }
    case 'ref_required': {
      return {message: `${data.verb} ${data.service} needs --ref: its action uses {ref}.`, hint: `For example: foggy ${data.verb} ${data.service} --ref v1.2.3`};
    }
    case 'service_locked': {
      return {message: error.message, hint: error.hint ?? 'Pass --wait [DURATION] to wait for it to finish.'};
    }
    case 'confirmation_mismatch': {
      return {message: `--confirm ${data.given} does not match the service, ${data.service}; nothing ran.`, hint: `Pass --confirm ${data.service} to confirm it.`};
    }
    case 'confirmation_required': {
      return {message: `${data.service} is protected: ${data.verb} needs confirmation, and there is no terminal to ask.`, hint: `Pass --confirm ${data.service} (or --yes) to confirm non-interactively.`};
    }
    default: {
      return {message: error.message, hint: error.hint};
    }
  }
}
