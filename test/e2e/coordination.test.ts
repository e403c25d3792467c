import assert from 'node:assert/strict';
import postgres from 'pg';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {collect, Sandbox, waitFor} from '../support/cli.js';
import {spawnOnHost} from '../support/hosts.js';
import {PASSWORD, testPostgres, usePostgres, type TestPostgres} from '../support/postgres.js';
import {closedPort, httpService, type Running} from '../support/servers.js';
import {startServe, type Serving} from '../support/serve.js';
import {FakeSlack} from '../support/slack-server.js';
import {tempDir} from '../support/temp.js';
import {TOKEN} from '../support/world.js';

/**
 * Teams on many machines: deploys from several "hosts" (their own host names and state directories) share
 * one lock through a real PostgreSQL, started by the suite.
 */

// The suite's own PostgreSQL, for this file's tests (started once, stopped after them).
usePostgres();

describe('coordination: one deploy at a time across machines', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let url: string;
  let site: Running;
  let shared: ReturnType<typeof tempDir>;
  let slack: FakeSlack;
  const sandboxes: Sandbox[] = [];

  // Each action writes "TOKEN start" and "TOKEN end" to one file all hosts share; a "hold" file there keeps it running.
  const catalog = (extra = '') => `version: 1
channel: "#ops"
${extra}services:
  web:
    status:
      - http: ${site.url}
    deploy:
      run: ["node", "-e", "const fs = require('fs'); const log = process.env.SHARED + '/deploys.log'; fs.appendFileSync(log, process.env.FOGGY_LOCK_TOKEN + ' start ' + process.argv[1] + '\\\\n'); const t = setInterval(() => { if (!fs.existsSync(process.env.SHARED + '/hold')) { fs.appendFileSync(log, process.env.FOGGY_LOCK_TOKEN + ' end ' + process.argv[1] + '\\\\n'); clearInterval(t); } }, 20)", "{ref}"]
      env: {SHARED: "${shared.path}"}
`;
  const host = (env: NodeJS.ProcessEnv = {}, extra = '') => {
    const sandbox = new Sandbox(catalog(extra), {FOGGY_DATABASE_URL: url, FOGGY_SLACK_TOKEN: TOKEN, FOGGY_SLACK_API_URL: slack.url, FOGGY_BACKGROUND_FLUSH: '0', ...env});
    sandboxes.push(sandbox);
    return sandbox;
  };
  const log = () => (existsSync(join(shared.path, 'deploys.log')) ? readFileSync(join(shared.path, 'deploys.log'), 'utf8') : '');
  const hold = () => writeFileSync(join(shared.path, 'hold'), '');
  const letGo = () => rmSync(join(shared.path, 'hold'), {force: true});

  before(async function () {
    this.timeout(120_000);
    pg = await testPostgres();
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(async () => {
    url = await pg.database();
    shared = tempDir();
    slack = await new FakeSlack().start();
  });
  afterEach(async () => {
    letGo();
    await pg.start();
    for (const sandbox of sandboxes.splice(0)) sandbox.remove();
    shared.remove();
    await slack.stop();
  });

  it('20 deployers from 4 hosts at once, all with --wait: one action at a time, in order, every fencing token distinct and increasing', async () => {
    const hosts = ['host-a', 'host-b', 'host-c', 'host-d'].map((name) => ({name, sandbox: host()}));
    const runs = Array.from({length: 20}, (_, i) => {
      const {name, sandbox} = hosts[i % 4];
      return collect(spawnOnHost(name, sandbox, ['deploy', 'web', '--ref', `r${i}`, '--wait', '2m']));
    });
    const results = await Promise.all(runs);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const lines = log().trim().split('\n').map((line) => line.split(' '));
    assert.equal(lines.length, 40);
    for (let i = 0; i < lines.length; i += 2) {
      assert.equal(lines[i][1], 'start', `line ${i}: one action at a time`);
      assert.equal(lines[i + 1][1], 'end');
      assert.equal(lines[i][0], lines[i + 1][0], 'each ends before the next starts');
    }
    const tokens = lines.filter((line) => line[1] === 'start').map((line) => Number(line[0]));
    assert.equal(new Set(tokens).size, 20, 'distinct');
    assert.deepEqual(tokens, [...tokens].sort((a, b) => a - b), 'increasing in the order the actions ran');
    const entries = hosts.flatMap(({sandbox}) => sandbox.journal.entries());
    assert.equal(entries.length, 20);
    for (const entry of entries) {
      assert.equal(entry.lock?.kind, 'postgres');
      const started = lines.find((line) => line[1] === 'start' && line[2] === entry.args.ref);
      assert.equal(entry.lock?.token, Number(started?.[0]), 'the entry records the token the action was given');
    }
    assert.deepEqual([...new Set(entries.map((entry) => entry.who.host))].sort(), ['host-a', 'host-b', 'host-c', 'host-d']);
    const everything = hosts.map(({sandbox}) => readFileSync(join(sandbox.env.XDG_STATE_HOME!, 'foggy', 'journal.jsonl'), 'utf8')).join('') + slack.everythingReceived();
    assert.doesNotMatch(everything, new RegExp(PASSWORD), 'the password is nowhere');
    assert.match(JSON.stringify(slack.posts().map((m) => m.blocks)), /team lock, fencing token \d+/);
  });

  it('another host holds it: refused at once, naming the holder on that host, recorded', async () => {
    hold();
    const a = host();
    const first = collect(spawnOnHost('host-a', a, ['deploy', 'web', '--ref', 'one']));
    await waitFor(() => log().includes('start one'), 'the first deploy to start');
    const b = host();
    const second = await collect(spawnOnHost('host-b', b, ['deploy', 'web', '--ref', 'two']));
    assert.equal(second.code, 3);
    assert.match(second.stderr, /web is being deployed by \S+@host-a \(pid \d+, since \d\d:\d\d\)\. Nothing ran\./);
    assert.equal(b.journal.entries()[0].outcome, 'refused');
    assert.equal((await b.run(['status', 'web'])).code, 0, 'status never waits for a lock');
    letGo();
    assert.equal((await first).code, 0);
  });

  it('the holder killed (SIGKILL): the next takes over after the TTL, with a larger token', async () => {
    hold();
    const a = host({FOGGY_LOCK_TTL: '2s'});
    const killed = spawnOnHost('host-a', a, ['deploy', 'web', '--ref', 'killed']);
    const killedDone = collect(killed);
    await waitFor(() => log().includes('start killed'), 'the first deploy to start');
    killed.kill('SIGKILL');
    await killedDone;
    const started = Date.now();
    const b = host({FOGGY_LOCK_TTL: '2s'});
    const next = collect(spawnOnHost('host-b', b, ['deploy', 'web', '--ref', 'next', '--wait', '1m']));
    await waitFor(() => log().includes('start next'), 'the next deploy to take over', 30_000);
    assert.ok(Date.now() - started >= 1000, 'not before the lease lapsed');
    letGo();
    assert.equal((await next).code, 0);
    const tokens = log().trim().split('\n').filter((line) => line.includes(' start ')).map((line) => Number(line.split(' ')[0]));
    assert.ok(tokens[1] > tokens[0], `${tokens}`);
  });

  /** A deploy on host-a, held mid-action while `meanwhile` happens to the database, until `until` holds; then let go. */
  async function deployWhile(options: {ref: string; ttl: string; meanwhile: () => Promise<unknown>; until: (stderr: () => string) => Promise<boolean>; what: string}) {
    hold();
    const a = host({FOGGY_LOCK_TTL: options.ttl});
    const child = spawnOnHost('host-a', a, ['deploy', 'web', '--ref', options.ref]);
    const first = collect(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    await waitFor(() => log().includes(`start ${options.ref}`), 'the deploy to start');
    await options.meanwhile();
    await waitFor(() => options.until(() => stderr), options.what, 15_000);
    letGo();
    return {a, result: await first};
  }

  /** The lease on web, as the database has it: when it expires, by whom it is held. */
  const leaseOfWeb = async () => {
    const client = new postgres.Client({connectionString: url});
    await client.connect();
    try {
      return (await client.query<{expires_at: Date; now: Date}>(`select expires_at, now() from foggy.leases where name = 'service:web'`)).rows[0];
    } finally {
      await client.end();
    }
  };

  it('the database restarted mid-action: the action goes on, the lease is kept (renewed on a new connection) and released', async () => {
    let before: Date | undefined;
    const {a, result} = await deployWhile({
      ref: 'restarted',
      ttl: '6s',
      meanwhile: async () => {
        before = (await leaseOfWeb()).expires_at;
        await pg.restart();
      },
      // Renewed after the restart: the lease's expiry moved on, on a new connection.
      until: async () => {
        const lease = await leaseOfWeb().catch(() => undefined);
        return lease !== undefined && lease.expires_at > before!;
      },
      what: 'a renewal after the restart',
    });
    assert.equal(result.code, 0, result.stderr);
    const [entry] = a.journal.entries();
    assert.deepEqual([entry.outcome, entry.lock?.kind, entry.lock?.lost], ['succeeded', 'postgres', undefined]);
    const again = await host().run(['deploy', 'web', '--ref', 'after']);
    assert.equal(again.code, 0, 'released: the next deploy does not wait');
  });

  it('the database away for longer than the TTL mid-action: the action goes on; the entry and the channel say the lease was lost', async () => {
    const {a, result} = await deployWhile({ref: 'orphan', ttl: '2s', meanwhile: () => pg.stop(), until: async (stderr) => /was lost during the deploy/.test(stderr()), what: 'the deploy to say its lock was lost'});
    await pg.start();
    assert.equal(result.code, 0, 'the action itself succeeded');
    assert.match(result.stderr, /The lock on web was lost during the deploy: it could not be renewed for longer than its 2s TTL/);
    const [entry] = a.journal.entries();
    assert.match(entry.lock?.lost ?? '', /could not be renewed/);
    await waitFor(() => slack.posts().some((m) => /was lost during the run/.test(JSON.stringify(m.blocks))), 'the channel told');
  });

  it('the database unreachable: deploy refuses (exit 3, one line, bounded time); status is unaffected; fallback: local uses this machine\'s lock', async () => {
    const port = await closedPort();
    const away = `postgres://foggy:${PASSWORD}@127.0.0.1:${port}/foggy`;
    const a = host({FOGGY_DATABASE_URL: away});
    const refused = await a.run(['deploy', 'web', '--ref', 'x']);
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /^Error: Cannot reach the coordination database postgres:\/\/foggy:\*\*\*@127\.0\.0\.1:\d+\/foggy: connection refused\. Nothing ran\.$/m);
    assert.match(refused.stderr, /coordination\.fallback: local/);
    assert.doesNotMatch(refused.stderr + readFileSync(join(a.env.XDG_STATE_HOME!, 'foggy', 'journal.jsonl'), 'utf8') + slack.everythingReceived(), new RegExp(PASSWORD));
    assert.equal(log(), '');
    assert.equal((await a.run(['status', 'web'])).code, 0);

    const b = host({FOGGY_DATABASE_URL: away}, 'coordination: {fallback: local}\n');
    const local = await b.run(['deploy', 'web', '--ref', 'y', '--json']);
    assert.equal(local.code, 0, local.stderr);
    assert.match(local.stderr, /using this machine's lock instead \(coordination\.fallback: local\)/);
    assert.deepEqual(b.journal.entries()[0].lock, {kind: 'local'});
  });

  it('a wrong password, or TLS asked of a server without it (sslmode): exit 3, said so, the password nowhere', async () => {
    const wrong = url.replace(PASSWORD, 'Wr0ng-Passw0rd');
    const result = await host({FOGGY_DATABASE_URL: wrong}).run(['deploy', 'web', '--ref', 'x']);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /password authentication failed/);
    assert.doesNotMatch(result.stderr, /Wr0ng-Passw0rd/);
    const tls = await host({FOGGY_DATABASE_URL: `${url}?sslmode=require`}).run(['deploy', 'web', '--ref', 'x']);
    assert.equal(tls.code, 3);
    assert.match(tls.stderr, /does not support SSL/);
    assert.doesNotMatch(tls.stderr, new RegExp(PASSWORD));
  });

  it('an action that prints the database URL: its password masked in the output kept and posted', async () => {
    const sandbox = host();
    sandbox.dir.file('foggy.yml', 'version: 1\nchannel: "#ops"\nservices:\n  web:\n    deploy:\n      run: ["sh", "-c", "echo connecting to $FOGGY_DATABASE_URL"]\n');
    const result = await sandbox.run(['deploy', 'web']);
    assert.equal(result.code, 0, result.stderr);
    const kept = readFileSync(sandbox.journal.outputFile(sandbox.journal.entries()[0].id), 'utf8');
    assert.match(kept, /connecting to postgres:\/\/postgres:\[masked\]@/);
    assert.doesNotMatch(kept + slack.everythingReceived(), new RegExp(PASSWORD));
  });

  it('the fencing token reaches the action and its entry unmasked, though its name says TOKEN', async () => {
    const sandbox = host({}, '');
    sandbox.dir.file('foggy.yml', 'version: 1\nservices:\n  web:\n    deploy:\n      run: ["sh", "-c", "echo token=$FOGGY_LOCK_TOKEN"]\n');
    const result = await sandbox.run(['deploy', 'web', '--ref', 'z', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const [entry] = sandbox.journal.entries();
    assert.match(result.stderr, new RegExp(`token=${entry.lock?.token}\\b`));
  });
});

describe('coordination: one active watcher for the team', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let url: string;
  let site: Running;
  let up = true;
  let checked = 0;
  let slack: FakeSlack;
  const sandboxes: Sandbox[] = [];
  const children: ReturnType<typeof spawnOnHost>[] = [];

  before(async function () {
    this.timeout(120_000);
    pg = await testPostgres();
    site = await httpService((_, response) => {
      checked++;
      response.statusCode = up ? 200 : 503;
      response.end('Hello');
    });
  });
  after(() => site.close());
  beforeEach(async () => {
    up = true;
    url = await pg.database();
    slack = await new FakeSlack().start();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const sandbox of sandboxes.splice(0)) sandbox.remove();
    await slack.stop();
  });

  const watcherOn = (host: string) => {
    const sandbox = new Sandbox(`version: 1\nchannel: "#ops"\nwatch: {interval: 300ms, down_after: 2, up_after: 2, remind: 0}\nservices:\n  web:\n    status:\n      - http: ${site.url}\n        timeout: 500ms\n`, {
      FOGGY_DATABASE_URL: url,
      FOGGY_SLACK_TOKEN: TOKEN,
      FOGGY_SLACK_API_URL: slack.url,
      FOGGY_BACKGROUND_FLUSH: '0',
    });
    sandboxes.push(sandbox);
    const child = spawnOnHost(host, sandbox, ['watch', '--json']);
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    return {child, sandbox, stderr: () => stderr};
  };
  const roots = () => slack.posts().filter((message) => !message.thread_ts && message.metadata?.event_type === 'foggy_entry');

  it('two watchers: one leads, one stands by, one message for the outage; the leader killed, the other resolves the same message', async () => {
    const a = watcherOn('host-a');
    await waitFor(() => /foggy watch: leading/.test(a.stderr()), 'host-a to lead');
    const b = watcherOn('host-b');
    await waitFor(() => /foggy watch: standing by: \S+@host-a \(pid \d+\) is the active watcher/.test(b.stderr()), 'host-b to stand by');

    up = false;
    await waitFor(() => roots().length === 1, 'the incident in the channel');
    const rounds = checked;
    await waitFor(() => checked >= rounds + 3, 'three more rounds');
    assert.equal(roots().length, 1, 'never two messages for one outage');
    const incident = roots()[0];

    const doctor = async () => (JSON.parse((await a.sandbox.run(['doctor', '--json'])).stdout) as {findings: {check: string; ok: boolean; detail: string}[]}).findings.find((f) => f.check === 'database');
    const before = await doctor();
    assert.equal(before?.ok, true);
    assert.match(before?.detail ?? '', /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+: schema v\d+, lease TTL 120s; active watcher \S+@host-a \(pid \d+/);

    a.child.kill('SIGKILL');
    await waitFor(() => /foggy watch: leading/.test(b.stderr()), 'host-b to take over', 15_000);
    assert.match((await doctor())?.detail ?? '', /active watcher \S+@host-b/);
    up = true;
    await waitFor(() => slack.messages.some((m) => m.ts === incident.ts && m.edited && /resolved|up again/.test(JSON.stringify(m))), 'the same message resolved', 15_000);
    assert.equal(roots().length, 1, 'the recovery edits the message: none posted anew');
    const [entry] = b.sandbox.journal.entries();
    assert.deepEqual([entry.id, entry.outcome], [incident.metadata?.event_payload.id, 'resolved'], 'host-b recorded the end of the incident host-a opened');
  });
});

describe('coordination: foggy serve instances share their memory', function () {
  this.timeout(120_000);
  let pg: TestPostgres;
  let site: Running;
  let slack: FakeSlack;
  const sandboxes: Sandbox[] = [];
  const serving: Serving[] = [];

  before(async function () {
    this.timeout(120_000);
    pg = await testPostgres();
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(async () => {
    slack = await new FakeSlack().start();
  });
  afterEach(async () => {
    for (const server of serving.splice(0)) if (server.child.exitCode === null) await server.stop();
    for (const sandbox of sandboxes.splice(0)) sandbox.remove();
    await slack.stop();
  });

  const servers = async (url: string) => {
    for (let i = 0; i < 2; i++) {
      const sandbox = new Sandbox(`version: 1\nchannel: "#ops"\nchat:\n  allow: {deploy: [U0ALICE01]}\nservices:\n  web:\n    protected: true\n    status:\n      - http: ${site.url}\n    deploy:\n      run: "true"\n`, {
        FOGGY_DATABASE_URL: url,
        FOGGY_SLACK_TOKEN: TOKEN,
        FOGGY_SLACK_API_URL: slack.url,
        FOGGY_BACKGROUND_FLUSH: '0',
      });
      sandboxes.push(sandbox);
      serving.push(await startServe(sandbox, slack));
    }
    assert.equal(slack.socketMode.connected, 2);
  };
  const entries = () => sandboxes.flatMap((sandbox) => sandbox.journal.entries());

  it('two servers given the same envelope run it once; a double click on a confirmation reaching both runs it once', async () => {
    await servers(await pg.database());
    assert.match(serving[0].stderr(), /sharing deliveries and confirmations with the team's other foggy serve through postgres:\/\/postgres:\*\*\*@/);
    slack.slash({text: 'status web', envelopeId: 'env-both', to: 'all'});
    await waitFor(() => entries().filter((e) => e.verb === 'status' && e.outcome !== 'running').length === 1, 'the status');
    await waitFor(() => serving.some((s) => /duplicate /.test(s.stderr())), 'the other server to drop it');
    assert.equal(entries().filter((e) => e.verb === 'status').length, 1, 'one run for the envelope');

    slack.slash({text: 'deploy web --ref v9', user: 'U0ALICE01'});
    await waitFor(() => slack.posts().some((m) => (m.blocks ?? []).some((b) => b.type === 'actions')), 'the confirmation');
    const confirmation = structuredClone(slack.posts().find((m) => (m.blocks ?? []).some((b) => b.type === 'actions'))!);
    // Two clicks, each a delivery of its own, one reaching each server.
    slack.click(confirmation, 'foggy_approve', {user: 'U0ALICE01', to: 0});
    slack.click(confirmation, 'foggy_approve', {user: 'U0ALICE01', to: 1});
    await waitFor(() => entries().some((e) => e.verb === 'deploy' && e.outcome === 'succeeded'), 'the deploy');
    await waitFor(() => slack.ephemerals.some((e) => /was already approved/.test(e.text)), 'the second click told');
    assert.equal(entries().filter((e) => e.verb === 'deploy').length, 1, 'one run, whichever server each click reached');
  });
});
