import {EXIT_CODES_HELP} from './exit-codes.js';

/** Topics for "foggy help TOPIC", as "gh help environment" has them: what is not one command's business. */
export const HELP_TOPICS: Record<string, {summary: string; text: string}> = {
  'exit-codes': {
    summary: 'What each exit code means, for scripts and CI.',
    text: `${EXIT_CODES_HELP}

  A failure to reach Slack never changes the exit code: the entry waits in the outbox.
  With --json, every failure also prints {"ok": false, "error": {"message", "hint", "exitCode"}} on stdout.`,
  },
  environment: {
    summary: 'Environment variables foggy reads.',
    text: `ENVIRONMENT
  FOGGY_CONFIG             path to foggy.yml (as --config)
  FOGGY_SLACK_TOKEN        the Slack bot token (SLACK_BOT_TOKEN too); wins over "foggy login"
  FOGGY_CHANNEL            the channel for entries (as --channel)
  FOGGY_SLACK_API_URL      the Slack Web API base URL (default https://slack.com/api/)
  FOGGY_MIRROR_BUDGET      most time Slack may add to a command (e.g. 3s)
  FOGGY_BACKGROUND_FLUSH   0: a run that finds entries waiting does not start a background flush
  FOGGY_DATABASE_URL       the team's PostgreSQL: shared deploy locks, one active watcher, chat deliveries
  FOGGY_LOCK_TTL           how long a shared lease outlives a holder that stopped renewing it (default 2m)
  FOGGY_SLACK_APP_TOKEN    foggy serve: the app-level token (xapp-…) for Socket Mode
  FOGGY_JOURNAL_MAX_SIZE   rotate the journal past this size (default 32MiB; 0: never)
  FOGGY_NO_CONNECT_HINT    any value: never show the "recorded locally only" hint
  FOGGY_DEBUG              any value: Slack requests and internal errors' details on stderr
  HTTPS_PROXY, HTTP_PROXY  proxies for HTTP checks (ALL_PROXY too; lower-case names win), as curl reads them
  NO_PROXY                 hosts, domains, IPs, CIDR ranges (host:port) that HTTP checks reach directly
  NODE_EXTRA_CA_CERTS      a PEM file of more CAs for HTTPS checks to trust
  XDG_CONFIG_HOME          where "foggy login" stores its settings
  XDG_STATE_HOME, HOME     where the journal, the outbox and the service locks live
  XDG_CACHE_HOME           where validated catalogs are cached (safe to delete)
  NO_COLOR                 no colour (any non-empty value)
  CI                       no colour or spinner; entries name the CI job, its actor, commit and branch
                           (GITHUB_ACTOR, GITHUB_SHA, GITHUB_REF_NAME, GITLAB_USER_LOGIN, CI_COMMIT_SHA, …)`,
  },
  formatting: {
    summary: 'Output streams, colour, --json and its schemas.',
    text: `FORMATTING
  stdout holds the result (a table, a status, JSON); notes, warnings, errors, spinners and a run's
  Slack link go to stderr, so "foggy log | grep web" and "foggy status --json | jq" see only data.
  An action's own output streams to stdout as it runs (to stderr with --json).

  --json prints one JSON object (log --follow: one per line). Each command's shape is published as a
  JSON Schema in the package's schema/json/ folder: status, deploy and restart (action), services,
  log, log-show, outbox, outbox-flush, doctor, login, logout, and error for every failure.

  Colour and spinners appear only on a terminal; NO_COLOR, CI or TERM=dumb turn them off. Text from
  outside (check output, Slack, the catalog) is shown with control characters made visible.`,
  },
};
