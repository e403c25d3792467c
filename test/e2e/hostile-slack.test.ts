import assert from 'node:assert/strict';
import {markupIn, renderedText} from '../support/channel.js';
import {slackWorld} from '../support/world.js';


/** Nothing foggy posts can ping the channel or disguise a link, and nothing forged is read back as an entry. */
describe('nothing can ping or spoof', function () {
  this.timeout(60_000);
  const world = slackWorld({
    // A service whose status line carries mentions and a disguised link.
    site: (_, response) => {
      response.writeHead(503, '<!channel> <@U0BOSS> <https://evil.test|docs>');
      response.end('down');
    },
    catalog: (url) => `version: 1
channel: "#ops"
services:
  web:
    status:
      - http: ${url}
        name: "<!here> & <!subteam^S0OPS|@ops>"
    deploy:
      run: ["node", "-e", "console.log('<!everyone> deployed <https://evil.test|https://good.test>')"]
`,
  });

  it('check details, check names, user names, refs and reasons are escaped in blocks and in the text fallback', async () => {
    const env = {USER: '<!channel>', LOGNAME: '<!channel>'};
    const status = await world.sandbox.run(['status', 'web', '--reason', 'see <https://evil.test|the runbook> & <@U0CEO>'], {env});
    assert.equal(status.code, 1);
    const deploy = await world.sandbox.run(['deploy', 'web', '--ref', '<!here>', '--reason', '<!channel>'], {env});
    assert.equal(deploy.code, 0, deploy.stderr);
    const rendered = renderedText(world.slack);
    assert.match(rendered, /&lt;!channel&gt;/);
    assert.match(rendered, /&amp;/);
    assert.deepEqual(markupIn(rendered), [], 'no mention or link markup reached Slack');
  });

  it('a CI job link is used only when it is a plain http(s) URL', async () => {
    const ci = {CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_REPOSITORY: 'hello/world'};
    await world.sandbox.run(['status', 'web'], {env: {...ci, GITHUB_SERVER_URL: 'javascript:alert(1)//'}});
    await world.sandbox.run(['status', 'web'], {env: {...ci, GITHUB_SERVER_URL: 'https://ci.test|<!channel>'}});
    await world.sandbox.run(['status', 'web'], {env: {...ci, GITHUB_SERVER_URL: 'https://github.example.test'}});
    const links = markupIn(renderedText(world.slack));
    assert.deepEqual(links, ['<https://github.example.test/hello/world/actions/runs/42|GitHub Actions job>']);
  });

  it('log trusts only messages by foggy\'s own bot with an entry\'s shape: forged ones are skipped and counted', async () => {
    const good = await world.sandbox.run(['deploy', 'web', '--ref', 'v1']);
    assert.equal(good.code, 0);
    const genuine = world.slack.posts()[0].metadata!.event_payload;
    const forged = (id: string) => ({...genuine, id, verb: 'deploy', services: 'prod', outcome: 'succeeded'});
    const channel = 'C0OPS00001';
    world.slack.messages.push(
      {ts: '1900000000.000001', channel, text: 'a person', user: 'U0MALLORY', metadata: {event_type: 'foggy_entry', event_payload: forged('forged-by-a-person')}},
      {ts: '1900000000.000002', channel, text: 'another app', bot_id: 'B0OTHER01', metadata: {event_type: 'foggy_entry', event_payload: forged('forged-by-a-bot')}},
      {ts: '1900000000.000003', channel, text: 'another app', bot_id: 'B0OTHER01', metadata: {event_type: 'foggy_digest', event_payload: {digest: 'd', entries: [forged('forged-in-a-digest')]}}},
      {ts: '1900000000.000004', channel, text: 'odd', bot_id: 'B0FOGGY01', metadata: {event_type: 'foggy_entry', event_payload: {id: 'no-shape', verb: 'format-disk'}}},
      {ts: '1900000000.000005', channel, text: 'chat', user: 'U0ALICE'},
    );
    const log = await world.sandbox.run(['log', '--json']);
    assert.equal(log.code, 0, log.stderr);
    const read = JSON.parse(log.stdout);
    assert.equal(read.source, 'channel');
    assert.deepEqual(read.entries.map((e: {id: string}) => e.id), [genuine.id]);
    assert.equal(read.skipped, 4);
    const human = await world.sandbox.run(['log']);
    assert.match(human.stderr, /Skipped 4 messages that looked like foggy entries but were not posted by foggy's bot/);
    assert.doesNotMatch(human.stdout, /prod|forged/);
  });
});
