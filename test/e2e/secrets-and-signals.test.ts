import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {FOGGY, collect, waitFor} from '../support/cli.js';
import {slackWorld, TOKEN} from '../support/world.js';

const DEPLOY_KEY = 'dk-7Hq2Lm9Xz4Pw8Rt1';
const URL_PASSWORD = 'pw-Zr8Kq3Nx7Vb2';

/** Everything the catalog declares as secret stays masked everywhere foggy writes it; foggy's token never reaches a child. */
describe('secrets everywhere, signals and pipes', function () {
  this.timeout(60_000);
  const world = slackWorld({
    env: {SLACK_BOT_TOKEN: TOKEN},
    catalog: (url) => {
      const authed = url.replace('http://', `http://ops:${URL_PASSWORD}@`);
      return `version: 1
channel: "#ops"
services:
  web:
    status:
      - http: ${authed}
        headers: {Authorization: "Bearer hdr-Mx81Qw7Ty3Zp"}
    deploy:
      run: ["node", "-e", "console.log('key is', process.env.DEPLOY_KEY, 'slack is', process.env.FOGGY_SLACK_TOKEN, process.env.SLACK_BOT_TOKEN)"]
      env: {DEPLOY_KEY: "${DEPLOY_KEY}"}
  shady:
    status:
      - command: ["node", "-e", "console.log('down \\u001b]0;owned\\u0007 \\u001b[2J'); process.exit(1)"]
        name: probe
`;
    },
  });

  it('the catalog\'s env values, URL password and auth header are masked in services, dry runs, JSON, the journal, the kept output and Slack', async () => {
    const outputs = [
      await world.sandbox.run(['services']),
      await world.sandbox.run(['services', '--json']),
      await world.sandbox.run(['deploy', 'web', '--dry-run']),
      await world.sandbox.run(['deploy', 'web', '--dry-run', '--json']),
      await world.sandbox.run(['status', 'web', '--dry-run', '--json']),
      await world.sandbox.run(['status', 'web']),
      await world.sandbox.run(['status', 'web', '--json']),
    ];
    const deploy = await world.sandbox.run(['deploy', 'web']);
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, new RegExp(`key is ${DEPLOY_KEY}`), 'the action itself gets the value');
    assert.match(deploy.stdout, /slack is undefined undefined/, "the action never sees foggy's Slack token");
    const state = join(world.sandbox.env.XDG_STATE_HOME!, 'foggy');
    const written = [readFileSync(join(state, 'journal.jsonl'), 'utf8'), ...readdirSync(join(state, 'outputs')).map((name) => readFileSync(join(state, 'outputs', name), 'utf8'))].join('\n');
    const shown = outputs.map((run) => run.stdout + run.stderr).join('\n');
    for (const secret of [DEPLOY_KEY, URL_PASSWORD, 'hdr-Mx81Qw7Ty3Zp']) {
      assert.ok(!shown.includes(secret), `${secret} was shown`);
      assert.ok(!written.includes(secret), `${secret} was journaled`);
      assert.ok(!world.slack.everythingReceived().includes(secret), `${secret} reached Slack`);
    }
    assert.match(shown, /\[masked]/);
  });

  it('every directory foggy creates is 0700 and every file 0600, whatever the umask', async () => {
    const result = await new Promise<{code: number | null}>((resolve) => {
      const child = spawn('sh', ['-c', `umask 000 && exec "${process.execPath}" "${FOGGY}" deploy web`], {cwd: world.sandbox.dir.path, env: world.sandbox.env, stdio: 'ignore'});
      child.on('close', (code) => resolve({code}));
    });
    assert.equal(result.code, 0);
    const login = spawn('sh', ['-c', `umask 000 && echo ${TOKEN} | "${process.execPath}" "${FOGGY}" login --with-token`], {cwd: world.sandbox.dir.path, env: {...world.sandbox.env, FOGGY_SLACK_TOKEN: '', SLACK_BOT_TOKEN: ''}, stdio: 'ignore'});
    assert.equal((await collect(login)).code, 0);
    const modes: string[] = [];
    for (const root of [world.sandbox.env.XDG_STATE_HOME!, world.sandbox.env.XDG_CONFIG_HOME!, world.sandbox.env.XDG_CACHE_HOME!]) {
      const walk = (path: string) => {
        const stat = statSync(path);
        const mode = stat.mode & 0o777;
        if (stat.isDirectory()) {
          if (mode !== 0o700) modes.push(`${path} ${mode.toString(8)}`);
          for (const name of readdirSync(path)) walk(join(path, name));
        } else if (mode !== 0o600) modes.push(`${path} ${mode.toString(8)}`);
      };
      walk(join(root, 'foggy'));
    }
    assert.deepEqual(modes, []);
  });

  it('text from outside never acts on the terminal: control characters are shown, not obeyed', async () => {
    const result = await world.sandbox.run(['status', 'shady']);
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stdout + result.stderr, /\u001B|\u0007/);
    assert.match(result.stdout, /down \\x1b\]0;owned\\x07 \\x1b\[2J/);
    const json = JSON.parse((await world.sandbox.run(['status', 'shady', '--json'])).stdout);
    assert.match(json.services[0].checks[0].detail, /\u001B\[2J/, 'JSON keeps the data');
  });

  it('SIGTERM while Slack hangs: foggy stops within a second, and the entry waits in the outbox', async () => {
    world.slack.hanging = true;
    const child = world.sandbox.spawn(['status', 'web'], {env: {FOGGY_MIRROR_BUDGET: '20s'}});
    const done = collect(child);
    await waitFor(() => world.slack.held > 0, 'the mirror\'s request to reach Slack');
    const sent = Date.now();
    child.kill('SIGTERM');
    const result = await done;
    const took = Date.now() - sent;
    // A hang detector, not a timing target: waiting for the mirror's budget would take 20 s.
    assert.ok(took < 5000, `took ${took}ms after SIGTERM`);
    assert.notEqual(result.signal, 'SIGKILL');
    assert.equal(readdirSync(join(world.sandbox.env.XDG_STATE_HOME!, 'foggy', 'outbox')).filter((n) => n.endsWith('.json')).length, 1);
  });

  it('foggy log | head -1 and foggy services | head -1 end quietly', async () => {
    for (let i = 0; i < 30; i++) await world.sandbox.run(['status', 'web'], {env: {FOGGY_SLACK_TOKEN: '', SLACK_BOT_TOKEN: ''}});
    for (const command of ['log --local --limit 30', 'services']) {
      const output = execFileSync('sh', ['-c', `"${process.execPath}" "${FOGGY}" ${command} 2>&1 | head -1; echo "status=\${PIPESTATUS:-done}"`], {cwd: world.sandbox.dir.path, env: world.sandbox.env, encoding: 'utf8'});
      assert.doesNotMatch(output, /EPIPE|unsettled|Error/, output);
      assert.equal(output.trim().split('\n').length, 2, output);
    }
  });

  it('a full disk after the action ran: its exit code stands, one line says what could not be written, and a later run completes the entry', async () => {
    const state = join(world.sandbox.env.XDG_STATE_HOME!, 'foggy');
    const noSlack = {FOGGY_SLACK_TOKEN: '', SLACK_BOT_TOKEN: ''};
    const warm = await world.sandbox.run(['status', 'web'], {env: noSlack});
    assert.equal(warm.code, 0);
    // While it runs, the action puts the journal aside and leaves /dev/full (always "no space left") in its place.
    const journal = join(state, 'journal.jsonl');
    world.sandbox.dir.file('foggy.yml', readFileSync(join(world.sandbox.dir.path, 'foggy.yml'), 'utf8').replace(/run: \["node".*\]/, `run: ["sh", "-c", "mv ${journal} ${journal}.aside && ln -s /dev/full ${journal} && echo deployed"]`));
    const result = await world.sandbox.run(['deploy', 'web'], {env: noSlack});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /deployed/);
    assert.match(result.stderr, /Could not write the end of entry \S+ to the journal in \S+ \(no space left on the device\); it is kept aside and will be written by the next run that can; the exit code is still the operation's\./);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    // Room again: the next run writes the kept end, and the deploy shows as it ended.
    rmSync(journal);
    renameSync(`${journal}.aside`, journal);
    assert.equal((await world.sandbox.run(['status', 'web'], {env: noSlack})).code, 0);
    const deploy = world.sandbox.journal.entries().find((entry) => entry.verb === 'deploy');
    assert.equal(deploy?.outcome, 'succeeded');
  });

});

