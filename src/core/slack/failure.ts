import type {Remedy} from '../errors/remedy.js';

/**
 * How a failed Slack call should be treated:
 * - retryable: nothing happened; try again (after a pause);
 * - ambiguous: it may have happened (timeout, dropped connection, fatal_error, 5xx); look before posting again;
 * - rate_limited: wait retryAfterMs, then try again;
 * - permanent: trying again cannot help; the user must fix something (the hint says what).
 */
export type FailureKind = 'retryable' | 'ambiguous' | 'rate_limited' | 'permanent';

export class SlackFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** Slack's error code (invalid_auth …), or a network description. */
    readonly code: string,
    readonly retryAfterMs?: number,
  ) {
    super(`Slack: ${code}`);
    this.name = 'SlackFailure';
  }

  /** What to do about it, in plain words, when it is the channel's or the workspace's to fix. */
  get hint(): string | undefined {
    return PERMANENT_HINTS[this.code];
  }

  /** What to do about it, for the front end to phrase, when the token is what must change. */
  get remedy(): Remedy | undefined {
    return slackRemedy(this.code);
  }
}

/** Codes that only a new (or newly installed) token cures. */
const TOKEN_CODES = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope']);

/** For a code Slack refused with: connect again, when the token is the problem. */
export function slackRemedy(code: string): Remedy | undefined {
  return TOKEN_CODES.has(code) ? {do: 'connect', because: code} : undefined;
}

/** Advice for codes whose cure is in the channel or the workspace (the token's are remedies: see slackRemedy). */
export const PERMANENT_HINTS: Record<string, string> = {
  channel_not_found: 'Slack cannot find the channel: check the name or id (the run’s channel, FOGGY_CHANNEL, foggy.yml), and that the bot can see it.',
  not_in_channel: 'The bot is not in the channel: invite it (/invite @foggy), or add the chat:write.public scope.',
  is_archived: 'The channel is archived: unarchive it or choose another channel.',
  restricted_action: 'The workspace does not let the bot post there: ask an admin, or choose another channel.',
  ekm_access_denied: 'The workspace administrator has suspended posting: ask an admin.',
};

const RETRYABLE_CODES = new Set(['service_unavailable', 'internal_error', 'request_timeout', 'ratelimited', 'team_added_to_org']);
const AMBIGUOUS_CODES = new Set(['fatal_error']);

/** Classifies an error thrown by @slack/web-api's WebClient. */
export function classify(error: unknown, aborted: boolean): SlackFailure {
  if (error instanceof SlackFailure) return error;
  const coded = error as {code?: string; data?: {error?: string}; statusCode?: number; retryAfter?: number; original?: Error & {cause?: {code?: string}}};
  switch (coded?.code) {
    case 'slack_webapi_platform_error': {
      const code = coded.data?.error ?? 'unknown_error';
      if (AMBIGUOUS_CODES.has(code)) return new SlackFailure('ambiguous', code);
      if (RETRYABLE_CODES.has(code)) return new SlackFailure('retryable', code);
      return new SlackFailure('permanent', code);
    }
    case 'slack_webapi_rate_limited_error': {
      return new SlackFailure('rate_limited', 'rate limited', (coded.retryAfter ?? 1) * 1000);
    }
    case 'slack_webapi_http_error': {
      const status = coded.statusCode ?? 0;
      // A 5xx may come after the message was stored; anything else is a request Slack will never accept.
      return new SlackFailure(status >= 500 ? 'ambiguous' : 'permanent', `HTTP ${status}`);
    }
    case 'slack_webapi_request_error': {
      const original = coded.original;
      const cause = original?.cause?.code ?? (original as NodeJS.ErrnoException | undefined)?.code;
      if (aborted || original?.name === 'TimeoutError' || original?.name === 'AbortError') return new SlackFailure('ambiguous', 'no answer in time');
      // Refused or unresolvable: the request never reached Slack.
      if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'EAI_AGAIN' || cause === 'ENETUNREACH' || cause === 'EHOSTUNREACH') {
        return new SlackFailure('retryable', describeNetwork(cause));
      }
      return new SlackFailure('ambiguous', cause ? describeNetwork(cause) : ((original?.cause as Error | undefined)?.message ?? original?.message ?? 'request failed'));
    }
    default: {
      if (aborted) return new SlackFailure('ambiguous', 'no answer in time');
      return new SlackFailure('ambiguous', (error as Error)?.message ?? String(error));
    }
  }
}

function describeNetwork(code: string): string {
  return (
    {
      ECONNREFUSED: 'connection refused',
      ENOTFOUND: 'host not found',
      EAI_AGAIN: 'host lookup failed',
      ECONNRESET: 'connection reset',
      UND_ERR_SOCKET: 'connection dropped',
      ENETUNREACH: 'network unreachable',
      EHOSTUNREACH: 'host unreachable',
    }[code] ?? code
  );
}
