import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {collect, waitFor} from '../support/cli.js';
import {checkJsonOutput} from '../support/json-contract.js';
import {slackWorld, TOKEN} from '../support/world.js';

/**
 * What a new user tries first, as gh and heroku taught them: who ran it, reading the record back,
 * confirmation in scripts, dry runs, help. Every --json output here is validated against its schema.
 */
describe('everyday use, end to end', function () {
  this.timeout(60_000);
  const world = slackWorld({
    catalog: (site) => `version: 1
channel: "#ops"
services:
  web:
    description: the site
    protected: true
    status:
      - http: ${site}
        name: site
    deploy:
      run: ["node", "-e", "console.log('deploying', process.argv[1])", "{ref}"]
  db:
    channel: "#private-ops"
    status:
      - http: ${site}
        name: db
    restart:
      run: ["node", "-e", "console.log('restarted')"]
`,
  });

  describe('who ran it', () => {
    it('in CI: the actor, the commit and the branch the CI builds, in the entry and the message', async () => {
      const ci = {CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_REF_NAME: 'release/2', GITHUB_RUN_ID: '77', GITHUB_REPOSITORY: 'hello/world'};
      const result = await world.sandbox.run(['status', 'web', '--json'], {env: ci});
      assert.equal(result.code, 0, result.stderr);
      const [entry] = world.sandbox.journal.entries();
      assert.equal(entry.who.actor, 'octocat');
      assert.deepEqual([entry.where.kind, entry.where.commit, entry.where.branch], ['ci', '0123456789abcdef0123456789abcdef01234567', 'release/2']);
      const [message] = world.slack.posts();
      assert.match(message.text, /by octocat:/);
      assert.match(JSON.stringify(message.blocks), /by \*octocat\*/);
      assert.match(JSON.stringify(message.blocks), /0123456/);
    });

    it('at a shell: the Slack user found by foggy login from the git e-mail, named in the context line only', async () => {
      const {sandbox, slack} = world;
      sandbox.dir.file('.gitconfig', '[user]\n\temail = alice@example.com\n');
      const login = sandbox.spawn(['login', '--with-token', '--channel', '#ops', '--json'], {env: {FOGGY_SLACK_TOKEN: ''}});
      login.stdin!.end(TOKEN);
      const logged = await collect(login);
      assert.equal(logged.code, 0, logged.stderr);
      assert.equal(JSON.parse(logged.stdout).slackUser, 'U0ALICE01');
      assert.equal(slack.callsTo('users.lookupByEmail')[0].args.email, 'alice@example.com');

      const result = await sandbox.run(['status', 'web'], {env: {FOGGY_SLACK_TOKEN: ''}});
      assert.equal(result.code, 0, result.stderr);
      const [message] = slack.posts();
      const context = JSON.stringify(message.blocks!.find((block) => block.type === 'context'));
      assert.match(context, /<@U0ALICE01>/);
      assert.doesNotMatch(message.text, /<@/, 'the notification text never mentions anyone');
      assert.doesNotMatch(JSON.stringify(message.blocks![0]), /<@/, 'nor does the headline');
      assert.equal(sandbox.journal.entries()[0].who.slackUser, 'U0ALICE01');
    });

    it('a person Slack does not know is a note, not a failed login; --slack-user sets it outright, and a bad id is refused', async () => {
      const {sandbox} = world;
      const run = async (args: string[]) => {
        const child = sandbox.spawn(['login', '--with-token', ...args]);
        child.stdin!.end(TOKEN);
        return collect(child);
      };
      const unknown = await run(['--email', 'nobody@example.com']);
      assert.equal(unknown.code, 0, unknown.stderr);
      assert.match(unknown.stderr, /Could not find your Slack user \(no Slack user has the address nobody@example.com\)/);
      const given = await run(['--slack-user', 'U0BOB0001', '--json']);
      assert.equal(JSON.parse(given.stdout).slackUser, 'U0BOB0001');
      const bad = await run(['--slack-user', '<!channel>', '--json']);
      assert.equal(bad.code, 2);
      assert.equal(JSON.parse(bad.stdout).error.exitCode, 2);
    });
  });

  describe('reading the record', () => {
    it('a run that posts prints its permalink on stderr and in --json', async () => {
      const result = await world.sandbox.run(['deploy', 'web', '--ref', 'v2', '--confirm', 'web', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const [message] = world.slack.posts();
      const link = `https://hello.slack.test/archives/${message.channel}/p${message.ts.replace('.', '')}`;
      assert.equal(JSON.parse(result.stdout).permalink, link);
      const text = await world.sandbox.run(['restart', 'db', '--channel', '#ops']);
      assert.match(text.stderr, /^Posted: https:\/\/hello\.slack\.test\/archives\/C0OPS00001\/p\d+$/m);
      const [, second] = world.slack.posts();
      assert.ok(text.stderr.includes(`Posted: https://hello.slack.test/archives/C0OPS00001/p${second.ts.replace('.', '')}`));
      // The workspace's address is learnt once: later links cost no round trip.
      assert.equal(world.slack.callsTo('chat.getPermalink').length, 1);
    });

    it('log show ID: every field, the kept output and the link; a unique prefix is enough', async () => {
      await world.sandbox.run(['deploy', 'web', '--ref', 'v7', '--yes', '--reason', 'hotfix']);
      const [entry] = world.sandbox.journal.entries();
      const shown = await world.sandbox.run(['log', 'show', entry.id.slice(0, 8), '--local']);
      assert.equal(shown.code, 0, shown.stderr);
      for (const field of [entry.id, 'deploy', 'web', 'v7', 'succeeded', 'hotfix', '── output ──', 'deploying v7']) assert.ok(shown.stdout.includes(field), `${field} in:\n${shown.stdout}`);
      const json = JSON.parse((await world.sandbox.run(['log', 'show', entry.id, '--json'])).stdout);
      assert.equal(json.entry.id, entry.id);
      assert.equal(json.output, 'deploying v7\n');
      assert.match(json.permalink, /^https:\/\/hello\.slack\.test\/archives\/C0OPS00001\/p\d+$/);
      const missing = await world.sandbox.run(['log', 'show', 'zzzzzzzz', '--json']);
      assert.equal(missing.code, 2);
      assert.match(JSON.parse(missing.stdout).error.message, /No entry "zzzzzzzz"/);
    });

    it('log shows ids and filters by verb, outcome, who and since, from the journal and the channel alike', async () => {
      const {sandbox} = world;
      await sandbox.run(['status', 'web']);
      await sandbox.run(['restart', 'db', '--channel', '#ops']);
      await sandbox.run(['deploy', 'web', '--ref', 'v1']); // refused: protected, no terminal
      const ids = sandbox.journal.entries().map((entry) => entry.id);
      for (const local of [['--local'], []]) {
        const table = await sandbox.run(['log', ...local]);
        assert.match(table.stdout.split('\n')[0], /^ID\s+WHEN/);
        for (const id of ids) assert.ok(table.stdout.includes(id), `${id} listed (${local.join('') || 'channel'})`);
        const only = async (...filter: string[]) => JSON.parse((await sandbox.run(['log', ...local, ...filter, '--json'])).stdout).entries.map((entry: {verb: string; outcome: string}) => `${entry.verb}:${entry.outcome}`);
        assert.deepEqual(await only('--verb', 'restart'), ['restart:succeeded']);
        assert.deepEqual(await only('--outcome', 'refused'), ['deploy:refused']);
        assert.deepEqual(await only('--who', 'nobody-by-that-name'), []);
        assert.equal((await only('--since', '1h')).length, 3);
        const bad = await sandbox.run(['log', ...local, '--verb', 'reboot', '--json']);
        assert.equal(bad.code, 2);
      }
    });

    it('log of a service reads the channel its entries go to, and a typo gets a suggestion', async () => {
      const {sandbox, slack} = world;
      await sandbox.run(['status', 'db']);
      assert.equal(slack.posts('G0PRIVATE4').length, 1, "db's own channel has its entry");
      const log = await sandbox.run(['log', 'db', '--json']);
      const body = JSON.parse(log.stdout);
      assert.deepEqual([body.source, body.channel, body.entries.length], ['channel', '#private-ops', 1]);
      const typo = await sandbox.run(['log', 'wbe']);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /Unknown service "wbe"; did you mean "web"\?/);
    });

    it('log -f prints entries as they finish, and Ctrl-C ends it with exit 0', async () => {
      const {sandbox} = world;
      await sandbox.run(['status', 'web']);
      const follower = sandbox.spawn(['log', '-f', '--local', '--json']);
      let stdout = '';
      follower.stdout!.on('data', (chunk) => (stdout += chunk));
      const done = collect(follower);
      await waitFor(() => stdout.split('\n').filter(Boolean).length === 1, 'the existing entry');
      await sandbox.run(['restart', 'db']);
      await waitFor(() => stdout.split('\n').filter(Boolean).length === 2, 'the new entry');
      follower.kill('SIGINT');
      const result = await done;
      assert.equal(result.code, 0, result.stderr);
      const verbs = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line).verb);
      assert.deepEqual(verbs, ['status', 'restart']);
    });

    it('log -f follows the channel too: an entry posted from elsewhere shows up', async () => {
      const {sandbox} = world;
      const follower = sandbox.spawn(['log', '-f', '--json']);
      let stdout = '';
      follower.stdout!.on('data', (chunk) => (stdout += chunk));
      const done = collect(follower);
      await waitFor(() => world.slack.callsTo('conversations.history').length > 0, 'the first read of the channel');
      await sandbox.run(['status', 'web']);
      await waitFor(() => stdout.includes('"verb":"status"'), 'the entry, read back from the channel', 15_000);
      follower.kill('SIGTERM');
      const result = await done;
      assert.equal(result.code, 0, result.stderr);
      checkJsonOutput(['log', '-f', '--json'], stdout);
      const read = JSON.parse(stdout.trim().split('\n').at(-1)!);
      assert.deepEqual([read.verb, read.services, read.channel], ['status', ['web'], '#ops']);
    });
  });

  describe('conveniences', () => {
    it('--confirm SERVICE confirms that one service; another name refuses (exit 3, recorded)', async () => {
      const {sandbox} = world;
      const wrong = await sandbox.run(['deploy', 'web', '--ref', 'v1', '--confirm', 'db', '--json']);
      assert.equal(wrong.code, 3);
      assert.match(JSON.parse(wrong.stdout).error.message, /--confirm db does not match the service, web/);
      assert.equal(sandbox.journal.entries()[0].outcome, 'refused');
      const right = await sandbox.run(['deploy', 'web', '--ref', 'v1', '--confirm', 'web']);
      assert.equal(right.code, 0, right.stderr);
    });

    it('--dry-run shows the message it would post and whether it would ask; nothing is recorded or posted', async () => {
      const {sandbox, slack} = world;
      const text = await sandbox.run(['deploy', 'web', '--ref', 'v9', '--dry-run']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /confirm: would ask for the service name/);
      assert.match(text.stdout, /Would post to #ops: deploy web by .+: in progress/);
      const json = JSON.parse((await sandbox.run(['deploy', 'web', '--ref', 'v9', '--dry-run', '--yes', '--json'])).stdout);
      assert.equal(json.confirmation, 'given');
      assert.equal(json.message.channel, '#ops');
      assert.ok(json.message.blocks.length > 0);
      const status = JSON.parse((await sandbox.run(['status', '--dry-run', '--json'])).stdout);
      assert.equal(status.message.channel, '#ops');
      assert.equal(sandbox.journal.entries().length, 0);
      assert.equal(slack.posts().length, 0);
    });

    it('deploy without --ref, when the action uses {ref}, is a usage error naming the flag; nothing runs', async () => {
      const result = await world.sandbox.run(['deploy', 'web', '--yes', '--json']);
      assert.equal(result.code, 2);
      const error = JSON.parse(result.stdout).error;
      assert.match(error.message, /deploy web needs --ref: its action uses \{ref\}/);
      assert.equal(world.sandbox.journal.entries().length, 0);
    });

    it('shell completion: a script for bash and zsh, answering from the commands and the catalog', async () => {
      const {sandbox} = world;
      const bash = await sandbox.run(['completion', 'bash']);
      assert.match(bash.stdout, /complete -o default -F _foggy foggy/);
      assert.match((await sandbox.run(['completion', 'zsh'])).stdout, /compdef _foggy foggy/);
      const words = async (...typed: string[]) => (await sandbox.run(['__complete', ...typed])).stdout.split('\n').filter(Boolean);
      assert.deepEqual(await words('deploy', ''), ['web', 'db']);
      assert.deepEqual(await words('log', '--outcome', 'f'), ['failed']);
      assert.ok((await words('st')).includes('status'));
      assert.ok(!(await words('')).includes('__complete'), 'hidden commands are not offered');
    });

    it('help topics, -h, and help for a command', async () => {
      // Help is oclif's own rendering, on the process's streams: asked of real processes, as a person does.
      const {sandbox} = world;
      const [topic, environment, formatting, index, ...commands] = await Promise.all(
        [['help', 'exit-codes'], ['help', 'environment'], ['help', 'formatting'], ['help'], ['help', 'status'], ['status', '-h'], ['status', '--help'], ['help', 'log', 'show'], ['help', 'stauts']].map((args) => sandbox.runProcess(args)),
      );
      assert.match(topic.stdout, /^EXIT CODES\n {2}0 /);
      assert.match(topic.stdout, /70\s+foggy hit an internal error/);
      assert.match(environment.stdout, /FOGGY_NO_CONNECT_HINT/);
      assert.match(formatting.stdout, /schema\/json/);
      assert.match(index.stdout, /HELP TOPICS\n {2}exit-codes/);
      for (const help of commands.slice(0, 3)) {
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^Check whether services are up\.\n\nUSAGE\n {2}\$ foggy status/);
      }
      assert.match(commands[3].stdout, /\$ foggy log show ID/);
      const unknown = commands[4];
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^Error: No command or help topic "stauts"; did you mean "status"\?/);
    });
  });

  describe('--json failures always print the error object', () => {
    const cases: [string, string[], RegExp][] = [
      ['an unknown flag', ['status', '--bogus', '--json'], /Nonexistent flag: --bogus/],
      ['a missing argument', ['deploy', '--json'], /Missing 1 required arg/],
      ['a bad --limit', ['log', '--limit', '0', '--json'], /Expected an integer greater than or equal to 1/],
      ['an unknown command', ['stauts', '--json'], /Unknown command "stauts"; did you mean "status"\?/],
      ['an unknown service', ['status', 'wbe', '--json'], /Unknown service "wbe"; did you mean "web"\?/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        // An unknown command never reaches a command class: oclif's entry point answers it, in a process.
        const result = what === 'an unknown command' ? await world.sandbox.runProcess(args) : await world.sandbox.run(args);
        assert.equal(result.code, 2);
        const body = JSON.parse(result.stdout);
        assert.equal(body.ok, false);
        assert.match(body.error.message, message);
        assert.equal(body.error.exitCode, 2);
        assert.match(result.stderr, /^Error: /m);
      });
    }
  });

  it('the "recorded locally only" hint comes once a day, not on every run', async () => {
    const {sandbox} = world;
    const env = {FOGGY_SLACK_TOKEN: ''};
    const first = await sandbox.run(['status', 'web'], {env});
    const second = await sandbox.run(['status', 'web'], {env});
    assert.match(first.stderr, /recorded locally only/);
    assert.doesNotMatch(second.stderr, /recorded locally only/);
    assert.ok(readFileSync(join(sandbox.env.XDG_STATE_HOME!, 'foggy', 'connect-hint'), 'utf8').startsWith(new Date().getUTCFullYear().toString()));
  });
});
