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

  get hint(): string | undefined {
    return PERMANENT_HINTS[this.code];
  }
}

export const PERMANENT_HINTS: Record<string, string> = {
  invalid_auth: 'The Slack token is not valid: run "foggy login" with a current bot token (xoxb-…).',
  not_authed: 'No Slack token was sent: run "foggy login" or set FOGGY_SLACK_TOKEN.',
  token_revoked: 'The Slack token was revoked: reinstall the app and run "foggy login" with the new token.',
  token_expired: 'The Slack token has expired: run "foggy login" with a new token.',
  account_inactive: 'The Slack app or its user was deactivated: reinstall the app and run "foggy login".',
  channel_not_found: 'Slack cannot find the channel: check the name or id (the run’s channel, FOGGY_CHANNEL, foggy.yml), and that the bot can see it.',
  not_in_channel: 'The bot is not in the channel: invite it (/invite @foggy), or add the chat:write.public scope.',
  is_archived: 'The channel is archived: unarchive it or choose another channel.',
  missing_scope: 'The Slack app lacks a scope foggy needs: add it from slack/manifest.yml, reinstall the app, and run "foggy login".',
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
