import assert from 'node:assert/strict';
import {execFileSync, spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {collect, Sandbox, waitFor, FOGGY} from '../support/cli.js';
import {closedPort, httpService, tcpService, type Running} from '../support/servers.js';

const ANSI = /\u001B\[/;

describe('foggy end to end', function () {
  this.timeout(30_000);
  let site: Running;
  let db: Running;
  let downPort: number;
  let sandbox: Sandbox;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
    db = await tcpService();
    downPort = await closedPort();
  });
  after(async () => {
    await site.close();
    await db.close();
  });

  const catalog = () => `version: 1
services:
  web:
    description: the site
    protected: true
    status:
      - http: ${site.url}
        name: site
        expect: {body: Hello}
    deploy:
      run: ["node", "deploy.js", "{ref}"]
  db:
    status:
      - tcp: ${db.url}
    restart:
      run: "echo restarting $FOGGY_SERVICE; echo done > restarted"
  cache:
    status:
      - tcp: 127.0.0.1:${downPort}
        timeout: 1s
  slow:
    deploy:
      run: "echo started; sleep 30"
      timeout: 1s
  broken:
    deploy:
      run: "echo failing >&2; exit 4"
  hang:
    deploy:
      run: ["node", "hang.js"]
`;

  beforeEach(() => {
    sandbox = new Sandbox(catalog());
    sandbox.dir.file('deploy.js', `require('fs').writeFileSync('deployed', process.argv[2] ?? ''); console.log('deployed ' + process.argv[2]);`);
    sandbox.dir.file('hang.js', `require('fs').writeFileSync('hang.pid', String(process.pid)); console.log('working'); setInterval(() => {}, 1000);`);
  });
  afterEach(() => sandbox.remove());

  describe('basics', () => {
    it('--version prints the version and exits 0', async () => {
      const result = await sandbox.runProcess(['--version']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^foggy\/\d+\.\d+\.\d+ /);
    });

    it('refuses to start below Node 22 with one clear line and exit 2', async () => {
      const fakeOldNode = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.11.1'})`;
      const result = await collect(spawn(process.execPath, ["--import", fakeOldNode, FOGGY, "status"], {env: sandbox.env}));
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, /^foggy needs Node\.js 22\.19 or newer; this is v/);
    });

    it('rejects an unknown flag as a usage error (exit 2)', async () => {
      const result = await sandbox.run(['status', '--bogus']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Nonexistent flag: --bogus/);
    });
  });

  describe('status', () => {
    it('exits 0 when every service is up, one plain line per service', async () => {
      const result = await sandbox.run(['status', 'web', 'db']);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, ANSI);
      const lines = result.stdout.trim().split('\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0], /^✔\s+web\s+\d+ms\s+1 check passed$/);
      assert.match(lines[1], /^✔\s+db\s+\d+ms\s+1 check passed$/);
      const [entry] = sandbox.journal.entries();
      assert.deepEqual([entry.verb, entry.services, entry.outcome, entry.exitCode], ['status', ['web', 'db'], 'succeeded', 0]);
    });

    it('exits 1 when any service is down, and says why', async () => {
      const result = await sandbox.run(['status', 'web', 'cache']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /✖\s+cache\s+\d+ms\s+127\.0\.0\.1:\d+: connection refused/);
      assert.equal(sandbox.journal.entries()[0].outcome, 'failed');
    });

    it('--json prints only the documented object', async () => {
      const result = await sandbox.run(['status', 'web', 'cache', '--json']);
      assert.equal(result.code, 1);
      const body = JSON.parse(result.stdout);
      assert.equal(body.ok, false);
      assert.equal(body.outcome, 'failed');
      assert.equal(typeof body.entry, 'string');
      assert.deepEqual(body.services.map((s: {service: string; ok: boolean}) => [s.service, s.ok]), [['web', true], ['cache', false]]);
      const check = body.services[0].checks[0];
      assert.deepEqual(Object.keys(check).sort(), ['detail', 'latencyMs', 'name', 'ok', 'type']);
      assert.equal(check.detail, '200 OK');
    });

    it('an unknown service exits 2 with "did you mean", and runs nothing', async () => {
      const result = await sandbox.run(['status', 'wbe']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Unknown service "wbe"; did you mean "web"\?/);
      assert.equal(sandbox.journal.entries().length, 0);
    });

    it('a broken catalog exits 2 naming file, line, column and key', async () => {
      sandbox.dir.file('foggy.yml', catalog().replace('protected: true', 'protected: yes please'));
      const result = await sandbox.run(['status']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /foggy\.yml:5:16: services\.web\.protected: expected a value of type boolean \(got "yes please"\)/);
    });

    it('without foggy.yml, exits 2 and says how to point to one', async () => {
      const elsewhere = new Sandbox();
      try {
        const result = await elsewhere.run(['status']);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /No foggy\.yml found in .* or any directory above it\.\n.*--config or FOGGY_CONFIG/);
        const viaEnv = await elsewhere.run(['services', '--json'], {env: {FOGGY_CONFIG: join(sandbox.dir.path, 'foggy.yml')}});
        assert.equal(viaEnv.code, 0, viaEnv.stderr);
      } finally {
        elsewhere.remove();
      }
    });
  });

  describe('deploy and restart', () => {
    it('deploys with --ref passed as one argument, streams the output, and records it', async () => {
      const result = await sandbox.run(['deploy', 'web', '--ref', 'v2; touch pwned', '--yes', '--reason', 'ship it']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(readFileSync(join(sandbox.dir.path, 'deployed'), 'utf8'), 'v2; touch pwned');
      assert.equal(existsSync(join(sandbox.dir.path, 'pwned')), false);
      assert.equal(result.stdout, 'deployed v2; touch pwned\n');
      assert.match(result.stderr, /✔ deploy web succeeded in \d+/);
      const [entry] = sandbox.journal.entries();
      assert.deepEqual([entry.verb, entry.outcome, entry.exitCode, entry.args.ref, entry.reason], ['deploy', 'succeeded', 0, 'v2; touch pwned', 'ship it']);
      assert.equal(entry.command, "node deploy.js 'v2; touch pwned'");
      assert.equal(entry.commandLine, "foggy deploy web --ref 'v2; touch pwned' --yes --reason 'ship it'");
      assert.equal(sandbox.journal.readOutput(entry.id), 'deployed v2; touch pwned\n');
    });

    it('a shell-string restart gets the service as FOGGY_SERVICE', async () => {
      const result = await sandbox.run(['restart', 'db']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'restarting db\n');
      assert.ok(existsSync(join(sandbox.dir.path, 'restarted')));
    });

    it('a failing action exits 1 and records the failure', async () => {
      const result = await sandbox.run(['deploy', 'broken']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /failing\n✖ deploy broken failed: exit 4/);
      assert.deepEqual([sandbox.journal.entries()[0].outcome, sandbox.journal.entries()[0].exitCode], ['failed', 1]);
    });

    it('a timed-out action exits 1, recorded as timed out', async () => {
      const result = await sandbox.run(['deploy', 'slow', '--json']);
      assert.equal(result.code, 1);
      const body = JSON.parse(result.stdout);
      assert.deepEqual([body.ok, body.outcome, body.summary], [false, 'timed_out', 'deploy slow timed out after 1s']);
      // With --json the action's own output moves to stderr: stdout stays pure JSON.
      assert.match(result.stderr, /^started$/m);
    });

    it('a protected service without a terminal needs --confirm or --yes: exit 3, recorded as refused', async () => {
      const result = await sandbox.run(['deploy', 'web', '--ref', 'v3']);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /web is protected: deploy needs confirmation, and there is no terminal to ask\.\nPass --confirm web \(or --yes\)/);
      assert.equal(existsSync(join(sandbox.dir.path, 'deployed')), false);
      const [entry] = sandbox.journal.entries();
      assert.deepEqual([entry.outcome, entry.exitCode], ['refused', 3]);
    });

    it('on a terminal, a protected service asks for the name typed back', async function () {
      const inTerminal = (answer: string) =>
        // script(1) gives foggy a real pseudo-terminal; the answer is typed into it.
        execFileSync('script', ['-qec', `${process.execPath} ${FOGGY} deploy web --ref tty; echo "exit=$?"`, '/dev/null'], {
          cwd: sandbox.dir.path, env: sandbox.env, input: `${answer}\n`, encoding: 'utf8',
        });
      const declined = inTerminal('nope');
      assert.match(declined, /Type the service name to deploy it:/);
      assert.match(declined, /Confirmation did not match "web"; nothing ran\.[\s\S]*exit=3/);
      assert.equal(existsSync(join(sandbox.dir.path, 'deployed')), false);
      const confirmed = inTerminal('web');
      assert.match(confirmed, /exit=0/);
      assert.equal(readFileSync(join(sandbox.dir.path, 'deployed'), 'utf8'), 'tty');
    });

    it('--dry-run shows the command and environment, and runs and records nothing', async () => {
      const result = await sandbox.run(['deploy', 'web', '--ref', 'v9', '--dry-run']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /Would run: node deploy\.js v9\n/);
      assert.match(result.stdout, /with: FOGGY_REF=v9/);
      assert.equal(existsSync(join(sandbox.dir.path, 'deployed')), false);
      assert.equal(sandbox.journal.entries().length, 0);
      const json = JSON.parse((await sandbox.run(['restart', 'db', '--dry-run', '--json'])).stdout);
      assert.deepEqual(json.command.slice(0, 2), ['sh', '-c']);
      assert.equal(json.env.FOGGY_SERVICE, 'db');
    });

    it('an action the service does not have exits 2 and names the verbs it has', async () => {
      const result = await sandbox.run(['restart', 'web']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Service "web" has no restart action\.\nIt has: status, deploy\./);
    });

    /** Starts `foggy deploy hang` and waits until its action runs; the action writes its pid to `pidFile`. */
    async function startHangingDeploy() {
      const child = sandbox.spawn(['deploy', 'hang']);
      const done = collect(child);
      const pidFile = join(sandbox.dir.path, 'hang.pid');
      await waitFor(() => existsSync(pidFile), 'the action to start');
      return {child, done, pidFile};
    }

    it('Ctrl-C stops the action\'s tree, exits 130 and records the interruption', async () => {
      const {child, done, pidFile} = await startHangingDeploy();
      child.kill('SIGINT');
      const result = await done;
      assert.equal(result.code, 130);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      await waitFor(() => !isAlive(pid), 'the action to be stopped', 8000);
      const [entry] = sandbox.journal.entries();
      assert.deepEqual([entry.outcome, entry.exitCode], ['interrupted', 130]);
    });

    it('kill -9 mid-action leaves an entry that log reports as unknown', async () => {
      const {child, done, pidFile} = await startHangingDeploy();
      child.kill('SIGKILL');
      await done;
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      const log = JSON.parse((await sandbox.run(['log', '--json'])).stdout);
      assert.equal(log.entries[0].outcome, 'unknown');
      assert.equal(log.entries[0].summary, 'outcome unknown: process ended');
    });
  });

  describe('services and log', () => {
    it('services lists the catalog as a table and as JSON', async () => {
      const result = await sandbox.run(['services']);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^SERVICE\s+CHECKS\s+ACTIONS\s+DESCRIPTION\n/);
      assert.match(result.stdout, /web \(protected\)\s+http site\s+deploy\s+the site/);
      const json = JSON.parse((await sandbox.run(['services', '--json'])).stdout);
      assert.deepEqual(json.services.map((s: {name: string}) => s.name), ['web', 'db', 'cache', 'slow', 'broken', 'hang']);
      assert.equal(json.services[1].actions.restart.timeoutMs, 600_000);
    });

    it('log reads runs back newest first, filtered and limited', async () => {
      await sandbox.run(['status', 'db']);
      await sandbox.run(['deploy', 'broken']);
      await sandbox.run(['restart', 'db']);
      const table = await sandbox.run(['log']);
      assert.equal(table.code, 0);
      const lines = table.stdout.trim().split('\n');
      assert.match(lines[0], /^ID\s+WHEN\s+WHO\s+WHERE\s+VERB\s+SERVICE\s+OUTCOME\s+DURATION$/);
      assert.match(lines[1], /^[\w-]+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+@\S+\s+terminal\s+restart\s+db\s+succeeded\s+\d+/);
      assert.match(lines[2], /deploy\s+broken\s+failed/);
      assert.equal(lines.length, 4);
      const onlyDb = JSON.parse((await sandbox.run(['log', 'db', '--limit', '1', '--json'])).stdout);
      assert.deepEqual(onlyDb.entries.map((e: {verb: string}) => e.verb), ['restart']);
    });

    it('log on an empty journal says so on stderr, and stdout stays empty', async () => {
      const result = await sandbox.run(['log']);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /No entries yet/);
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
