import type {FoggyError} from '../core/errors/foggy-error.js';
import type {Remedy} from '../core/errors/remedy.js';

/** The options of the CLI, by the field name the core gives a value (ref, reason, channel …). */
const FLAG_OF: Record<string, string> = {ref: '--ref', reason: '--reason', channel: '--channel', 'slack-user': '--slack-user', for: '--for', until: '--until'};

/** Why the token in use needs replacing, and how, by the Slack error code that said so. */
const CONNECT_BECAUSE: Record<string, string> = {
  local_only: 'To echo them into your team\'s Slack channel: foggy login (or set FOGGY_SLACK_TOKEN).',
  invalid_auth: 'The Slack token is not valid: run "foggy login" with a current bot token (xoxb-…).',
  not_authed: 'No Slack token was sent: run "foggy login" or set FOGGY_SLACK_TOKEN.',
  token_revoked: 'The Slack token was revoked: reinstall the app and run "foggy login" with the new token.',
  token_expired: 'The Slack token has expired: run "foggy login" with a new token.',
  account_inactive: 'The Slack app or its user was deactivated: reinstall the app and run "foggy login".',
  missing_scope: 'The Slack app lacks a scope foggy needs: add it from slack/manifest.yml, reinstall the app, and run "foggy login".',
  scopes_missing: 'Add the scopes (slack/manifest.yml lists them all), reinstall the app to the workspace, and run "foggy login" with the new token.',
};

/** What to do, in the shell's words: the command to run or the flag to pass. */
export function phraseRemedy(remedy: Remedy): string {
  switch (remedy.do) {
    case 'connect': {
      return (remedy.because && CONNECT_BECAUSE[remedy.because]) ?? 'Run "foggy login" or set FOGGY_SLACK_TOKEN.';
    }
    case 'rewrite-settings': {
      return 'Run "foggy login" to write it again, or remove it.';
    }
    case 'choose-channel': {
      return 'Set channel: in foggy.yml or FOGGY_CHANNEL, or save a default channel with "foggy login".';
    }
    case 'list-entries': {
      return 'Run "foggy log" to list entries and their ids.';
    }
    case 'list-silences': {
      return 'Run "foggy silence" to list the silences in force and their ids.';
    }
    case 'see-outbox': {
      return {
        deliver: 'Run "foggy outbox" to see them and deliver them.',
        'retry-or-drop': '"foggy outbox" lists what is set aside and how to retry or drop it once fixed.',
        'flush-now': 'To deliver it now: foggy outbox --flush.',
        'list-ids': 'Run "foggy outbox" to list the waiting entries and their ids.',
      }[remedy.then];
    }
    case 'check-setup': {
      return 'Run "foggy doctor" to check the set-up.';
    }
    case 'give': {
      if (remedy.field === 'service') return `Name at least one${remedy.example ? `, for example: ${remedy.example}` : ''}.`;
      const flag = FLAG_OF[remedy.field] ?? `--${remedy.field}`;
      return remedy.example ? `For example: ${flag} ${quoted(remedy.example)}` : `Pass ${flag}.`;
    }
    case 'wait': {
      return 'Pass --wait [DURATION] to wait for it to finish.';
    }
    case 'confirm': {
      return `Pass --confirm ${remedy.service} (or --yes) to confirm non-interactively.`;
    }
    case 'point-catalog': {
      return 'Create one (see examples/hello-world/foggy.yml), or point to it with --config or FOGGY_CONFIG.';
    }
    case 'stop-other': {
      return 'Stop it first, or give this one its own XDG_STATE_HOME.';
    }
  }
}

/** Plain advice and remedies as one hint, in the order given. */
export function phraseAdvice(hint: string | undefined, remedies: readonly (Remedy | undefined)[] = []): string | undefined {
  const parts = [hint, ...remedies.filter((remedy) => remedy !== undefined).map(phraseRemedy)].filter((part) => part);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * A failure in the shell's own words: the core says what is wrong, the CLI which command or flag fixes it.
 * (A chat front end says the same in its own way.)
 */
export function cliPhrase(error: FoggyError): {message: string; hint?: string} {
  const data = error.data as Record<string, string | number>;
  switch (error.code) {
    case 'invalid_input': {
      const flag = FLAG_OF[String(data.field)];
      return {message: flag ? `${flag}: ${data.problem}` : error.message, hint: phraseAdvice(error.hint, [error.remedy])};
    }
    case 'ref_required': {
      return {message: `${data.verb} ${data.service} needs --ref: its action uses {ref}.`, hint: `For example: foggy ${data.verb} ${data.service} --ref v1.2.3`};
    }
    case 'confirmation_mismatch': {
      return {message: `--confirm ${data.given} does not match the service, ${data.service}; nothing ran.`, hint: `Pass --confirm ${data.service} to confirm it.`};
    }
    case 'confirmation_required': {
      return {message: `${data.service} is protected: ${data.verb} needs confirmation, and there is no terminal to ask.`, hint: phraseAdvice(undefined, [error.remedy])};
    }
    case 'internal': {
      return {message: error.message, hint: 'This is a bug in foggy, not a failure of the operation. Run again with FOGGY_DEBUG=1 for details, and report it.'};
    }
    default: {
      return {message: error.message, hint: phraseAdvice(error.hint, [error.remedy])};
    }
  }
}

/** A value as a shell needs it typed. */
function quoted(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `"${value.replaceAll('"', '\\"')}"`;
}
