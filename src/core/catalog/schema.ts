import {checkDefinitions} from '../checks/kinds/index.js';

/**
 * The JSON Schema of foggy.yml, published as schema/foggy.schema.json (for editors) and compiled into the
 * catalog's validator at build time (scripts/compile-schema.js): the catalog's keys, with each kind of
 * check's own part from the check registry.
 */
export function catalogSchema(): Record<string, unknown> {
  const schema = structuredClone(BASE) as {definitions: Record<string, {properties?: Record<string, unknown>}>};
  Object.assign(schema.definitions, checkDefinitions());
  // The catalog's watch: a service's, plus what only the whole catalog sets.
  const watch = schema.definitions.watch;
  schema.definitions.catalogWatch = {
    ...watch,
    properties: {
      ...watch.properties,
      maintenance: MAINTENANCE,
      listen: {type: 'string', pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+:)?\\d{1,5}$', description: 'serve the status page: [host:]port (default host 127.0.0.1: loopback unless told otherwise)'},
    },
  };
  return schema;
}

const MAINTENANCE = {
  type: 'array',
  maxItems: 100,
  description: 'recurring maintenance windows: the services are checked and recorded, but the watcher posts nothing and opens no incident',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['start', 'duration'],
    properties: {
      every: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: {enum: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']},
        description: 'the days of the week it starts on, in its time zone (default: every day)',
      },
      start: {type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'when it starts, HH:MM in its time zone'},
      duration: {$ref: '#/definitions/duration', description: 'how long it lasts (at most 7 days)'},
      timezone: {type: 'string', minLength: 1, description: 'an IANA time zone such as Europe/Berlin (default UTC)'},
      services: {type: 'array', minItems: 1, uniqueItems: true, items: {$ref: '#/definitions/serviceName'}, description: 'the services it quiets (default: all)'},
    },
  },
};

const BASE = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://foggy.dev/schema/foggy.schema.json',
  title: 'foggy service catalog (foggy.yml)',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'services'],
  properties: {
    $schema: {type: 'string'},
    version: {const: 1, description: 'Catalog format version; 1'},
    channel: {$ref: '#/definitions/channel'},
    mirror: {
      type: 'object',
      additionalProperties: false,
      description: 'How runs are echoed into the channel',
      properties: {
        required: {
          type: 'boolean',
          description: 'Strict mode: refuse to run an action when the channel cannot be reached',
        },
        budget: {
          $ref: '#/definitions/duration',
          description: 'Most time mirror work may add to a command (default 3s)',
        },
      },
    },
    watch: {
      $ref: '#/definitions/catalogWatch',
      description: 'foggy watch, for every service (a service\'s own watch: overrides it)',
    },
    alert: {
      $ref: '#/definitions/alert',
      description: 'Who the first message of an incident mentions (every service; a service\'s own alert: replaces it)',
    },
    coordination: {
      type: 'object',
      additionalProperties: false,
      description: 'Teams on many machines: deploy locks, the active watcher and chat deliveries shared through PostgreSQL (FOGGY_DATABASE_URL wins over postgres: here)',
      properties: {
        postgres: {type: 'string', minLength: 1, description: 'a PostgreSQL URL (postgres://user:password@host:5432/db?sslmode=require), usually "${FOGGY_DATABASE_URL}"'},
        ttl: {$ref: '#/definitions/duration', description: 'how long a lease outlives a holder that stopped renewing it (default 2m; FOGGY_LOCK_TTL)'},
        fallback: {enum: ['refuse', 'local'], description: 'when the database cannot be reached: deploy and restart refuse (default), or use this machine\'s lock'},
      },
    },
    chat: {
      type: 'object',
      additionalProperties: false,
      description: 'foggy serve: who may run what from Slack, and how long a confirmation stays open',
      properties: {
        allow: {$ref: '#/definitions/chatAllow', description: 'who may run each verb from chat, for every service (a service\'s own chat.allow overrides it verb by verb); status and log default to everyone, deploy and restart to nobody'},
        confirm_within: {$ref: '#/definitions/duration', description: 'how long a confirmation\'s buttons stay open (default 5m)'},
      },
    },
    page: {
      type: 'object',
      additionalProperties: false,
      description: 'the status page (foggy watch --listen) and the static export (foggy uptime --html)',
      properties: {
        show_targets: {type: 'boolean', description: 'show each check\'s target (a URL, host:port): off by default, since a page may be seen by more people than the catalog'},
        timezone: {type: 'string', minLength: 1, description: 'the time zone whose days the daily bars are (default UTC)'},
        title: {type: 'string', minLength: 1, maxLength: 200, description: 'the page\'s title (default: foggy status)'},
      },
    },
    redact: {
      type: 'array',
      description: 'Extra regular expressions whose matches are masked in everything journaled or posted',
      items: {type: 'string', minLength: 1},
    },
    services: {
      type: 'object',
      description: 'The services, by name',
      minProperties: 1,
      propertyNames: {$ref: '#/definitions/serviceName'},
      additionalProperties: {$ref: '#/definitions/service'},
    },
  },
  definitions: {
    serviceName: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_-]{0,39}$',
      description: 'a service name: lower-case letters, digits, \'-\' and \'_\', starting with a letter, at most 40 characters',
    },
    channel: {
      type: 'string',
      pattern: '^(#[a-z0-9_-][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$',
      description: 'a Slack channel: #name or a channel id such as C0123456789',
    },
    duration: {
      anyOf: [{type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)$'}, {type: 'number', exclusiveMinimum: 0}],
      description: 'a duration such as 500ms, 2s, 10m or 1h (a bare number is seconds)',
    },
    commandLine: {
      anyOf: [{type: 'array', minItems: 1, items: {type: 'string'}}, {type: 'string', minLength: 1}],
      description: 'an argv list (run without a shell; {ref} and {service} are filled in) or a string (run with sh -c; input arrives only as FOGGY_* environment variables)',
    },
    service: {
      type: 'object',
      additionalProperties: false,
      properties: {
        description: {type: 'string'},
        protected: {type: 'boolean', description: 'deploy and restart need a confirmation: the service\'s name typed at a terminal (or given up front), a button in chat'},
        channel: {$ref: '#/definitions/channel'},
        status: {type: 'array', items: {$ref: '#/definitions/check'}},
        deploy: {$ref: '#/definitions/action'},
        restart: {$ref: '#/definitions/action'},
        rollback: {$ref: '#/definitions/action', description: 'what foggy rollback runs (with {ref}, FOGGY_REF and FOGGY_ROLLBACK_OF); without it, rollback runs the deploy action with the earlier ref'},
        watch: {$ref: '#/definitions/watch'},
        alert: {$ref: '#/definitions/alert'},
        chat: {
          type: 'object',
          additionalProperties: false,
          description: 'foggy serve, for this service',
          properties: {
            allow: {$ref: '#/definitions/chatAllow', description: 'who may run each verb on this service from chat, instead of the catalog\'s chat.allow'},
            approvers: {
              type: 'array',
              minItems: 1,
              maxItems: 500,
              uniqueItems: true,
              items: {$ref: '#/definitions/slackPrincipal'},
              description: 'deploy and restart from chat wait for a second person from this list (not the requester) to approve',
            },
          },
        },
        depends_on: {
          type: 'array',
          items: {$ref: '#/definitions/serviceName'},
          uniqueItems: true,
          description: 'services this one needs: while one of them is down, this one\'s failures raise no alert of their own',
        },
      },
    },
    slackPrincipal: {
      type: 'string',
      pattern: '^[UWS][A-Z0-9]{2,20}$',
      description: 'a Slack id: a person (U…, W…) or a user group (S…); never a name, which anyone can change',
    },
    chatAllow: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        ['status', 'deploy', 'restart', 'rollback', 'log', 'silence'].map((verb) => [
          verb,
          {
            anyOf: [{const: 'everyone'}, {type: 'array', maxItems: 500, uniqueItems: true, items: {$ref: '#/definitions/slackPrincipal'}}],
            description: `who may ${verb} from chat: everyone in the workspace, or a list of Slack ids ([] for nobody)`,
          },
        ]),
      ),
    },
    watch: {
      type: 'object',
      additionalProperties: false,
      properties: {
        interval: {$ref: '#/definitions/duration', description: 'how often the checks run (default 60s)'},
        down_after: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: 'consecutive failed rounds before the service is declared down (default 3)',
        },
        up_after: {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
          description: 'consecutive good rounds before it is declared up again (default 2)',
        },
        remind: {
          anyOf: [{$ref: '#/definitions/duration'}, {const: 0}],
          description: 'how often a reminder goes into the incident\'s thread while it lasts (default 30m; 0: never)',
        },
        grace_after_action: {
          anyOf: [{$ref: '#/definitions/duration'}, {const: 0}],
          description: 'after a deploy or restart of the service succeeds, how long it may take to come up before the watcher speaks (default 2m; 0: none)',
        },
        flapping: {
          type: 'object',
          additionalProperties: false,
          description: 'a service whose checks change result more than `changes` times within `window` is flapping: one state, not a message per flip',
          properties: {
            changes: {type: 'integer', minimum: 2, maximum: 1000, description: 'default 6'},
            window: {$ref: '#/definitions/duration', description: 'default 10m'},
          },
        },
      },
    },
    alert: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mention: {
          type: 'array',
          maxItems: 20,
          items: {type: 'string', pattern: '^([UW][A-Z0-9]{2,20}|S[A-Z0-9]{2,20})$'},
          description: 'Slack ids to mention in an incident\'s first message: people (U…, W…) or user groups (S…); reminders and the recovery mention nobody',
        },
      },
    },
    action: {
      type: 'object',
      additionalProperties: false,
      required: ['run'],
      properties: {
        run: {$ref: '#/definitions/commandLine'},
        timeout: {$ref: '#/definitions/duration', description: 'default 10m'},
        env: {type: 'object', additionalProperties: {type: 'string'}, description: 'extra environment variables'},
      },
    },
  },
};
