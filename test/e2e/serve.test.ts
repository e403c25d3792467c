import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {collect, Sandbox, waitFor} from '../support/cli.js';
import {httpService, type Running} from '../support/servers.js';
import {confirmations, startServe, textOf, type Serving} from '../support/serve.js';
import {APP_TOKEN, FakeSlack, TEAM} from '../support/slack-server.js';
import {TOKEN} from '../support/world.js';

/**
 * foggy serve against the loopback Slack (Web API and Socket Mode), as a process: the chat front end on the
 * same core, the same record and the same locks as the shell.
 */

// Actions append to deploys.log; a "hold" file keeps a deploy running until the test removes it.
const action = (what: string) => `["node", "-e", "const fs = require('fs'); fs.appendFileSync('deploys.log', process.argv[1] + ' start\\\\n'); const t = setInterval(() => { if (!fs.existsSync('hold')) { fs.appendFileSync('deploys.log', process.argv[1] + ' end\\\\n'); clearInterval(t); } }, 20)", "${what}"]`;

const catalog = (site: string, extra = '') => `version: 1
channel: "#ops"
chat:
  allow:
    deploy: [U0ALICE01, S0DEPLOYERS]
    restart: [U0ALICE01]
${extra}services:
  web:
    protected: true
    status:
      - http: ${site}
    deploy:
      run: ${action('web-{ref}')}
    chat:
      approvers: [U0BOB0001]
  api:
    status:
      - http: ${site}
    deploy:
      run: ${action('api-{ref}')}
    restart:
      run: ${action('api-restart')}
`;

describe('foggy serve, end to end', function () {
  this.timeout(60_000);
  let site: Running;
  let slack: FakeSlack;
  let sandbox: Sandbox;
  let serve: Serving | undefined;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(async () => {
    slack = await new FakeSlack().start();
    slack.groups.set('S0DEPLOYERS', ['U0CAROL01']);
    sandbox = new Sandbox(catalog(site.url), {FOGGY_SLACK_API_URL: slack.url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_BACKGROUND_FLUSH: '0'});
  });
  afterEach(async () => {
    rmSync(join(sandbox.dir.path, 'hold'), {force: true});
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) await serve.stop();
    serve = undefined;
    await slack.stop();
    sandbox.remove();
  });

  const deploys = () => (existsSync(join(sandbox.dir.path, 'deploys.log')) ? readFileSync(join(sandbox.dir.path, 'deploys.log'), 'utf8') : '');
  const entries = () => sandbox.journal.entries();
  const finished = (verb: string) => entries().filter((e) => e.verb === verb && e.outcome !== 'running');
  const ephemeralTo = (pattern: RegExp) => slack.ephemerals.filter((e) => pattern.test(textOf(e)));
  const hold = () => writeFileSync(join(sandbox.dir.path, 'hold'), '');
  const letGo = () => rmSync(join(sandbox.dir.path, 'hold'), {force: true});

  it('status from anyone: acknowledged first, then one entry from chat, posted in the channel it came from', async () => {
    serve = await startServe(sandbox, slack);
    const envelope = slack.slash({text: 'status web', user: 'U0BOB0001'});
    const ack = await slack.socketMode.waitForAck(envelope);
    assert.deepEqual(ack.payload, {}, 'an empty ack: the answer is the entry in the channel');
    await waitFor(() => finished('status').length === 1, 'the status entry');
    const [entry] = entries();
    assert.equal(entry.outcome, 'succeeded');
    assert.equal(entry.where.kind, 'chat');
    assert.deepEqual(entry.where.chat, {channel: 'C0OPS00001', team: TEAM});
    assert.deepEqual([entry.who.user, entry.who.slackUser, entry.who.name], ['U0BOB0001', 'U0BOB0001', 'bob']);
    assert.equal(entry.commandLine, '/foggy status web');
    await waitFor(() => slack.posts().length === 1, 'the entry in the channel');
    const message = slack.posts()[0];
    assert.equal(message.metadata?.event_payload.id, entry.id);
    assert.match(textOf(message), /\*status\* `web` by \*bob\* from Slack: \*succeeded\*/);
    assert.match(textOf(message), /<@U0BOB0001> via foggy serve/);
    assert.equal(slack.ephemerals.length, 0, 'nothing more to say: the asker sees the entry where they typed');
    await waitFor(() => /\/foggy status web by bob \(U0BOB0001\) in C0OPS00001 → succeeded \[/.test(serve!.stderr()), 'the command\'s line in the log');
  });

  it('a deploy by someone not allowed: refused, answered to them alone with the rule and who may, recorded; nothing ran', async () => {
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'deploy api --ref v2', user: 'U0BOB0001'});
    await waitFor(() => finished('deploy').length === 1, 'the refusal to be recorded');
    const [entry] = finished('deploy');
    assert.equal(entry.outcome, 'refused');
    assert.equal(entry.who.user, 'U0BOB0001');
    assert.match(entry.summary ?? '', /chat\.allow\.deploy does not include you/);
    await waitFor(() => ephemeralTo(/Not allowed/).length === 1, 'the answer');
    const [answer] = ephemeralTo(/Not allowed/);
    assert.equal(answer.via, 'response_url');
    assert.match(answer.text, /chat\.allow\.deploy does not include you\.\nWho may: <@U0ALICE01>, user group `S0DEPLOYERS`\./);
    assert.equal(deploys(), '');
    await waitFor(() => slack.posts().some((m) => /refused/.test(m.text)), 'the refusal in the channel');
  });

  it('a user-group member may deploy (members looked up once); a non-member is refused', async () => {
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'deploy api --ref v1', user: 'U0CAROL01'});
    await waitFor(() => finished('deploy').length === 1, 'the first deploy');
    assert.equal(finished('deploy')[0].outcome, 'succeeded');
    slack.slash({text: 'deploy api --ref v2', user: 'U0CAROL01'});
    await waitFor(() => finished('deploy').length === 2, 'the second deploy');
    slack.slash({text: 'deploy api --ref v3', user: 'U0DAVE001'});
    await waitFor(() => finished('deploy').length === 3, 'the refusal');
    assert.deepEqual(finished('deploy').map((e) => e.outcome), ['succeeded', 'succeeded', 'refused'], JSON.stringify(finished('deploy').map((e) => e.summary)));
    assert.match(deploys(), /api-v1 end\napi-v2 start\napi-v2 end\n$/);
    assert.equal(slack.callsTo('usergroups.users.list').length, 1, 'looked up once: the members are cached (a miss looks again only after a while)');
  });

  it('a person from another workspace is refused, even for status', async () => {
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'status web', user: 'U0ALICE01', team: 'T0OTHER01'});
    await waitFor(() => finished('status').length === 1, 'the refusal');
    assert.equal(finished('status')[0].outcome, 'refused');
    await waitFor(() => ephemeralTo(/not a member of this app's workspace/).length === 1, 'the answer');
  });

  it('the confirmation: the requester cannot approve, someone not listed cannot, an approver can; a second click is told; the message says who and when', async () => {
    serve = await startServe(sandbox, slack);
    // As Slack sends it: &, < and > escaped.
    slack.slash({text: 'deploy web --ref v2 --reason "hotfix &amp; &lt;b&gt;"', user: 'U0ALICE01'});
    await waitFor(() => confirmations(slack).length === 1, 'the confirmation');
    // As the clients saw it: a late click comes from a view that still shows the buttons.
    const message = structuredClone(confirmations(slack)[0]);
    const buttons = (message.blocks!.find((b) => b.type === 'actions') as unknown as {elements: {action_id: string; style?: string}[]}).elements;
    assert.deepEqual(buttons.map((b) => [b.action_id, b.style]), [['foggy_approve', 'primary'], ['foggy_cancel', undefined]]);
    assert.match(textOf(message), /\*deploy\* `web` at `v2`, asked by <@U0ALICE01>/);
    assert.match(textOf(message), /reason: “hotfix &amp; &lt;b&gt;”/);
    assert.match(textOf(message), /will run: `node -e/);
    assert.match(textOf(message), /Who may approve: <@U0BOB0001> \(not the one who asked\)/);
    assert.equal(deploys(), '', 'nothing runs before a click');

    slack.click(message, 'foggy_approve', {user: 'U0ALICE01'});
    await waitFor(() => ephemeralTo(/the one who asked cannot approve it/).length === 1, 'the requester refused');
    slack.click(message, 'foggy_approve', {user: 'U0CAROL01'});
    await waitFor(() => ephemeralTo(/services\.web\.chat\.approvers does not include you/).length === 1, 'carol refused');
    assert.equal(deploys(), '');
    assert.deepEqual(finished('deploy').map((e) => [e.outcome, e.who.user]), [['refused', 'U0ALICE01'], ['refused', 'U0CAROL01']]);

    slack.click(message, 'foggy_approve', {user: 'U0BOB0001'});
    await waitFor(() => finished('deploy').some((e) => e.outcome === 'succeeded'), 'the approved deploy');
    const deploy = finished('deploy').find((e) => e.outcome === 'succeeded')!;
    assert.deepEqual([deploy.who.user, deploy.confirmedBy, deploy.args.ref, deploy.reason], ['U0ALICE01', 'U0BOB0001', 'v2', 'hotfix & <b>']);
    assert.equal(deploy.commandLine, '/foggy deploy web --ref v2 --reason "hotfix & <b>"');
    const updated = slack.messages.find((m) => m.ts === message.ts)!;
    assert.equal(updated.edited, true);
    assert.match(textOf(updated), /Approved by <@U0BOB0001> at <!date\^\d+\^/);
    assert.equal((updated.blocks ?? []).some((b) => b.type === 'actions'), false, 'the buttons are gone');
    const root = slack.posts().find((m) => m.metadata?.event_payload.id === deploy.id)!;
    assert.match(textOf(root), /approved by <@U0BOB0001>/);

    slack.click(message, 'foggy_approve', {user: 'U0BOB0001'});
    await waitFor(() => ephemeralTo(/was already approved by <@U0BOB0001>/).length === 1, 'the late click told');
    assert.equal(deploys().match(/start/g)?.length, 1, 'one run, whatever the clicks');
  });

  it('the requester cancels: the message says so, the request is recorded as refused, nothing ran', async () => {
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'deploy web --ref v3', user: 'U0ALICE01'});
    await waitFor(() => confirmations(slack).length === 1, 'the confirmation');
    slack.click(confirmations(slack)[0], 'foggy_cancel', {user: 'U0ALICE01'});
    await waitFor(() => finished('deploy').length === 1, 'the cancellation recorded');
    assert.match(finished('deploy')[0].summary ?? '', /cancelled by alice \(U0ALICE01\)/);
    await waitFor(() => /Cancelled by <@U0ALICE01>/.test(textOf(slack.messages.find((m) => m.ts === confirmations(slack)[0]?.ts) ?? slack.messages[0])), 'the message updated');
    assert.equal(deploys(), '');
  });

  it('a confirmation expires on time: the message says so, it is recorded, a late click runs nothing', async () => {
    sandbox.dir.file('foggy.yml', catalog(site.url, '  confirm_within: 1s\n'));
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'deploy web --ref v4', user: 'U0ALICE01'});
    await waitFor(() => confirmations(slack).length === 1, 'the confirmation');
    const message = structuredClone(confirmations(slack)[0]);
    await waitFor(() => finished('deploy').length === 1, 'the expiry recorded', 10_000);
    assert.match(finished('deploy')[0].summary ?? '', /expired/);
    assert.match(textOf(slack.messages.find((m) => m.ts === message.ts)!), /Expired after 1\.0s without approval: nothing ran/);
    slack.click(message, 'foggy_approve', {user: 'U0BOB0001'});
    await waitFor(() => ephemeralTo(/expired without approval; nothing ran/).length === 1, 'the late click told');
    assert.equal(deploys(), '');
  });

  it('exactly once: a redelivered envelope, an event retried with the same event id, and after a restart of foggy serve', async () => {
    serve = await startServe(sandbox, slack);
    const envelope = slack.slash({text: 'status web', envelopeId: 'env-fixed-1'});
    await slack.socketMode.waitForAck(envelope);
    slack.slash({text: 'status web', envelopeId: 'env-fixed-1'});
    const {eventId} = slack.mention({text: '<@U0FOGGY01> status api'});
    slack.mention({text: '<@U0FOGGY01> status api', eventId, retryAttempt: 1, retryReason: 'timeout'});
    await waitFor(() => finished('status').length === 2 && slack.socketMode.acks.length === 4, 'both commands, every delivery acked');
    await waitFor(() => (serve!.stderr().match(/duplicate /g) ?? []).length === 2, 'both duplicates logged');
    await serve.stop();

    serve = await startServe(sandbox, slack);
    const redelivered = slack.slash({text: 'status web', envelopeId: 'env-fixed-1'});
    await slack.socketMode.waitForAck(redelivered);
    await waitFor(() => /duplicate /.test(serve!.stderr()), 'the redelivery after the restart ignored');
    assert.equal(finished('status').length, 2, 'one entry per command, however often Slack delivered it');
  });

  it('bad input: a clear answer to the asker alone, escaped; nothing runs, nothing is recorded, nothing pings', async () => {
    serve = await startServe(sandbox, slack);
    const inputs: [string, RegExp][] = [
      [`status ${'x'.repeat(5000)}`, /too long/],
      ['status web\u0007', /control character/],
      ['status <!channel>', /Special mentions/],
      ['deploy api --reason <@U0BOB0001>', /Mentions of people/],
      ['deploy api --ref <http://evil.example|v2>', /Links are not taken/],
      ['dploy api', /did you mean "deploy"/],
      ['deploy', /Missing 1 required arg/],
      ['deploy api --force', /Nonexistent flag: --force/],
      ['deploy nosuch --ref v1', /Unknown service "nosuch"/],
      ['status &lt;!channel&gt;', /Unknown service "<!channel>"|Unknown service "&lt;!channel&gt;"/],
    ];
    for (const [text] of inputs) slack.slash({text, user: 'U0ALICE01'});
    await waitFor(() => slack.ephemerals.length === inputs.length, 'every answer');
    for (const [text, pattern] of inputs) assert.ok(slack.ephemerals.some((e) => pattern.test(e.text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'))), `no answer for ${JSON.stringify(text.slice(0, 40))}`);
    for (const answer of slack.ephemerals) assert.doesNotMatch(textOf(answer), /<!(channel|here|everyone|subteam)|<@U|<http/, answer.text);
    assert.deepEqual(entries(), []);
    assert.deepEqual(slack.posts(), []);
    assert.equal(deploys(), '');
  });

  it('reconnects when Slack asks (disconnect) and when the connection drops; commands still work after', async () => {
    serve = await startServe(sandbox, slack);
    slack.socketMode.disconnect('refresh_requested');
    await slack.socketMode.until(() => slack.socketMode.connectionsOpened === 2 && slack.socketMode.connected === 1, 10_000, 'a new connection after disconnect');
    slack.socketMode.drop();
    await slack.socketMode.until(() => slack.socketMode.connectionsOpened === 3 && slack.socketMode.connected === 1, 10_000, 'a new connection after a drop');
    slack.slash({text: 'status web'});
    await waitFor(() => finished('status').length === 1, 'a command after reconnecting');
    assert.match(serve.stderr(), /connection to Slack lost; reconnecting in/);
  });

  it('a chat deploy and a shell deploy of one service exclude each other: the refusal names the holder', async () => {
    serve = await startServe(sandbox, slack);
    hold();
    const shell = collect(sandbox.spawn(['deploy', 'api', '--ref', 'shell']));
    await waitFor(() => deploys().includes('api-shell start'), 'the shell deploy to start');
    slack.slash({text: 'deploy api --ref chat', user: 'U0ALICE01'});
    await waitFor(() => ephemeralTo(/api is being deployed by .* \(pid \d+/).length === 1, 'the chat refusal naming the holder');
    assert.match(slack.ephemerals[0].text, /--wait 10m/);
    letGo();
    assert.equal((await shell).code, 0);
    assert.doesNotMatch(deploys(), /api-chat/);
    assert.deepEqual(finished('deploy').map((e) => [e.where.kind, e.outcome]).sort(), [['chat', 'refused'], ['terminal', 'succeeded']]);
  });

  it('SIGTERM during a deploy: no new commands, the deploy gets its grace period, then is interrupted and recorded; exit 0', async () => {
    serve = await startServe(sandbox, slack, ['--grace', '1s']);
    hold();
    slack.slash({text: 'deploy api --ref long', user: 'U0ALICE01'});
    await waitFor(() => deploys().includes('api-long start'), 'the deploy to start');
    const result = await serve.stop();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /stopping: waiting up to 1\.0s for 1 running command/);
    assert.match(result.stderr, /interrupted what was still running/);
    const [entry] = finished('deploy');
    assert.equal(entry.outcome, 'interrupted');
  });

  it('SIGTERM while a deploy finishes within the grace period: it completes, recorded as succeeded; exit 0', async () => {
    serve = await startServe(sandbox, slack, ['--grace', '20s']);
    hold();
    slack.slash({text: 'deploy api --ref quick', user: 'U0ALICE01'});
    await waitFor(() => deploys().includes('api-quick start'), 'the deploy to start');
    serve.child.kill('SIGTERM');
    await waitFor(() => /stopping: waiting/.test(serve!.stderr()), 'the stop to begin');
    await slack.socketMode.until(() => slack.socketMode.connected === 0, 5000, 'the socket closed: no new commands');
    letGo();
    const result = await serve.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(finished('deploy')[0].outcome, 'succeeded');
  });

  it('SIGHUP reloads foggy.yml: new rules apply; a broken file keeps the one in use', async () => {
    serve = await startServe(sandbox, slack);
    slack.slash({text: 'restart api', user: 'U0BOB0001'});
    await waitFor(() => finished('restart').length === 1, 'the first refusal');
    sandbox.dir.file('foggy.yml', catalog(site.url).replace('restart: [U0ALICE01]', 'restart: [U0ALICE01, U0BOB0001]'));
    serve.child.kill('SIGHUP');
    await waitFor(() => /reloaded /.test(serve!.stderr()), 'the reload');
    slack.slash({text: 'restart api', user: 'U0BOB0001'});
    await waitFor(() => finished('restart').length === 2, 'the restart');
    assert.deepEqual(finished('restart').map((e) => e.outcome), ['refused', 'succeeded']);
    sandbox.dir.file('foggy.yml', 'version: 1\nservices: [broken\n');
    serve.child.kill('SIGHUP');
    await waitFor(() => /kept the catalog in use/.test(serve!.stderr()), 'the broken reload refused');
    slack.slash({text: 'restart api', user: 'U0BOB0001'});
    await waitFor(() => finished('restart').length === 3, 'still answering with the catalog in use');
  });

  it('log from chat shows shell runs beside chat runs; foggy log in a shell shows the chat run', async () => {
    assert.equal((await sandbox.run(['status', 'web'])).code, 0);
    serve = await startServe(sandbox, slack, ['--json']);
    slack.slash({text: 'status api', user: 'U0ALICE01'});
    await waitFor(() => finished('status').length === 2, 'the chat status');
    slack.slash({text: 'log', user: 'U0ALICE01'});
    await waitFor(() => ephemeralTo(/\(chat\)/).length === 1, 'the log answer');
    const [answer] = ephemeralTo(/\(chat\)/);
    assert.match(answer.text, /\(terminal\)/);
    await waitFor(() => serve!.stdout().includes('"command":"/foggy status api"'), 'the command\'s JSON line');
    const lines = serve.stdout().trim().split('\n').map((line) => JSON.parse(line) as {kind: string; command?: string; outcome: string});
    assert.ok(lines.some((line) => line.kind === 'command' && line.command === '/foggy status api' && line.outcome === 'succeeded'), serve.stdout());
    const log = await sandbox.run(['log', '--local']);
    assert.match(log.stdout, /U0ALICE01|alice/);
    assert.match(log.stdout, /\bchat\b/);
    assert.match(log.stdout, /\bterminal\b/);
  });

  it('refuses to start without the app token, with a bot token in its place, or beside another foggy serve', async () => {
    const missing = await sandbox.run(['serve'], {env: {FOGGY_SLACK_APP_TOKEN: ''}});
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs the app-level token: FOGGY_SLACK_APP_TOKEN \(xapp-…\)/);
    const wrong = await sandbox.run(['serve'], {env: {FOGGY_SLACK_APP_TOKEN: TOKEN}});
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /not an app-level token/);
    slack.appTokens.clear();
    const revoked = await sandbox.run(['serve'], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN}});
    assert.equal(revoked.code, 2, revoked.stderr);
    assert.match(revoked.stderr, /Slack refused the app token \(invalid_auth|not_allowed_token_type\)/);
    slack.appTokens.add(APP_TOKEN);
    serve = await startServe(sandbox, slack);
    const second = await sandbox.run(['serve'], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN}});
    assert.equal(second.code, 3, second.stderr);
    assert.match(second.stderr, /foggy serve is already running by .* \(pid \d+/);
  });

  it('foggy doctor checks what foggy serve needs: the app token opens Socket Mode, and the scopes', async () => {
    const ok = await sandbox.run(['doctor', '--json'], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN}});
    const serveFinding = (result: {stdout: string}) => (JSON.parse(result.stdout) as {findings: {check: string; ok: boolean; detail: string; fix?: string}[]}).findings.find((f) => f.check === 'serve');
    assert.deepEqual(serveFinding(ok)?.ok, true, ok.stdout);
    assert.equal(slack.callsTo('apps.connections.open').at(-1)?.token, APP_TOKEN, 'opened with the app token, not the bot token');

    const unset = await sandbox.run(['doctor', '--json'], {env: {FOGGY_SLACK_APP_TOKEN: ''}});
    assert.match(serveFinding(unset)?.detail ?? '', /chat rules, but FOGGY_SLACK_APP_TOKEN is not set/);
    assert.equal(unset.code, 1);

    slack.appTokens.clear();
    const revoked = await sandbox.run(['doctor', '--json'], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN}});
    assert.match(serveFinding(revoked)?.detail ?? '', /cannot open a Socket Mode connection: invalid_auth/);

    slack.appTokens.add(APP_TOKEN);
    slack.tokens.get(TOKEN)!.scopes = slack.tokens.get(TOKEN)!.scopes.filter((scope) => scope !== 'usergroups:read' && scope !== 'commands');
    const scopes = await sandbox.run(['doctor', '--json'], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN}});
    assert.match(serveFinding(scopes)?.detail ?? '', /lacks commands \(the \/foggy slash command\), usergroups:read \(user groups \(S…\) in the chat rules\)/);
  });
});
