import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {collect} from '../support/cli.js';
import {tempDir} from '../support/temp.js';
import {freePort, portOpen} from '../../examples/hello-world/processes.js';
import {FakeSlack} from '../support/slack-server.js';
import {TOKEN} from '../support/world.js';

const DEMO = fileURLToPath(new URL('../../examples/hello-world/demo.js', import.meta.url));

describe('the hello-world walk-through', function () {
  this.timeout(60_000);

  it('runs watch → status → restart → status → deploy → log → report end to end and leaves nothing running, beside another copy of itself', async () => {
    const state = tempDir();
    try {
      // Ports of its own and a state directory of its own: the walk-through can run while another copy runs.
      const [site, db] = [await freePort(), await freePort()];
      const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', HELLO_SITE_PORT: String(site), HELLO_DB_PORT: String(db), HELLO_STATE_DIR: state.path};
      delete env.CI;
      const result = await collect(spawn(process.execPath, [DEMO], {env, stdio: ['ignore', 'pipe', 'pipe']}));
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const steps = [...result.stdout.matchAll(/^\$ foggy (?!watch)(.*)\n[\s\S]*?^\(exit (\d+)\)$/gm)].map((m) => [m[1].split(' ')[0], m[2]]);
      assert.deepEqual(steps, [['status', '1'], ['restart', '0'], ['status', '0'], ['deploy', '0'], ['log', '0'], ['report', '0']]);
      // The report counts what the walk-through did: one deploy, one restart, one incident resolved.
      assert.match(result.stdout, /Deployment frequency\s+\S+\/day, \S+\/week\s+1 successful deploy in 1 day\s/);
      assert.match(result.stdout, /Time to restore\s+median \S+, p90 \S+\s+1 resolved, 0 open/);
      assert.match(result.stdout, /Counted: 1 deploy \(1 succeeded\); 1 restart; incidents 1 opened, 1 resolved, 0 open\./);
      // The watcher raised the alert after its threshold, web said nothing of its own, and the same incident went green.
      assert.match(result.stdout, /^\$ foggy watch --interval 250ms &/m);
      const alert = new RegExp(`watch │ .* db down 127\\.0\\.0\\.1:${db}: connection refused \\(incident (\\S+)\\)`).exec(result.stdout);
      assert.ok(alert, result.stdout);
      assert.match(result.stdout, /watch │ .* web down because db is down$/m);
      assert.match(result.stdout, new RegExp(`watch │ .* db up again after \\S+ \\(incident ${alert[1]}\\)`));
      assert.match(result.stdout, /\(watcher stopped: exit 0\)/);
      assert.match(result.stdout, new RegExp(`${alert[1]}\\s.*incident\\s+db\\s+resolved`));
      assert.match(result.stdout, new RegExp(`✖\\s+db\\s+\\d+ms\\s+127\\.0\\.0\\.1:${db}: connection refused`));
      assert.match(result.stdout, /building Hello World with font "Comic Neue"/);
      assert.match(result.stdout, /deploy\s+web\s+succeeded/);
      assert.equal(await portOpen(site), false);
      assert.equal(await portOpen(db), false);
    } finally {
      state.remove();
    }
  });

  it('with a token, the alert and its green light are in the channel: one message for the incident, edited, the recovery in its thread', async () => {
    const state = tempDir();
    const slack = await new FakeSlack().start();
    slack.channels.push({id: 'C0HELLO001', name: 'hello-world-ops', isMember: true, isPrivate: false, isArchived: false});
    try {
      const [site, db] = [await freePort(), await freePort()];
      const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', HELLO_SITE_PORT: String(site), HELLO_DB_PORT: String(db), HELLO_STATE_DIR: state.path, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_SLACK_API_URL: slack.url, FOGGY_BACKGROUND_FLUSH: '0'};
      delete env.CI;
      const result = await collect(spawn(process.execPath, [DEMO], {env, stdio: ['ignore', 'pipe', 'pipe']}));
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const posts = slack.posts('C0HELLO001');
      const incidents = posts.filter((message) => message.metadata?.event_payload.verb === 'incident');
      assert.equal(incidents.length, 1, 'one message for the incident');
      const [alert] = incidents;
      assert.equal(alert.edited, true);
      assert.match(JSON.stringify(alert.blocks), /\*db\* is \*up\* again: down \d/);
      const thread = slack.messages.filter((message) => message.thread_ts === alert.ts);
      assert.ok(thread.some((message) => /db is up again after/.test(message.text)), 'the recovery in the thread');
      assert.deepEqual(posts.filter((message) => message.metadata?.event_payload.verb !== 'incident').map((message) => message.metadata?.event_payload.verb), ['status', 'restart', 'status', 'deploy']);
    } finally {
      await slack.stop();
      state.remove();
    }
  });
});
