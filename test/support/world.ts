import type {IncomingMessage, ServerResponse} from 'node:http';
import {Sandbox} from './cli.js';
import {httpService, type Running} from './servers.js';
import {FakeSlack} from './slack-server.js';

export const TOKEN = 'xoxb-test-token-0001';

/** What an end-to-end test of the mirror works with: a loopback site, a loopback Slack, a sandbox. */
export interface World {
  site: Running;
  slack: FakeSlack;
  sandbox: Sandbox;
}

/**
 * Registers the mocha hooks every mirror test needs: one loopback site for the suite, and for each test a
 * fresh Slack imitation and a sandbox whose catalog and environment point at them (token, API URL,
 * budget). The returned object's fields are filled in by the hooks.
 */
export function slackWorld(options: {
  catalog: (siteUrl: string) => string | Promise<string>;
  site?: (request: IncomingMessage, response: ServerResponse) => void;
  env?: NodeJS.ProcessEnv;
}): World {
  const world = {} as World;
  before(async () => {
    world.site = await httpService(options.site ?? ((_, response) => response.end('Hello World')));
  });
  after(() => world.site.close());
  beforeEach(async () => {
    world.slack = await new FakeSlack().start();
    world.sandbox = new Sandbox(await options.catalog(world.site.url), {FOGGY_SLACK_API_URL: world.slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_MIRROR_BUDGET: '2s', ...options.env});
  });
  afterEach(async () => {
    await world.slack.stop();
    world.sandbox.remove();
  });
  return world;
}
