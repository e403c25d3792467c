import assert from 'node:assert/strict';
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {hostname, userInfo} from 'node:os';
import {join} from 'node:path';
import {collect, Sandbox, waitFor} from '../support/cli.js';
import {httpService, type Running} from '../support/servers.js';

/** One deploy or restart of a service at a time on a machine; status never waits for it. */
describe('one deploy at a time', function () {
  this.timeout(60_000);
  let site: Running;
  let sandbox: Sandbox;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(() => {
    // The deploy runs until the test removes its "hold" file: the test decides when it ends.
    sandbox = new Sandbox(`version: 1
services:
  web:
    status:
      - http: ${site.url}
    deploy:
      run: ["node", "-e", "const fs = require('fs'); fs.appendFileSync('deploys.log', process.argv[1] + ' start\\\\n'); const t = setInterval(() => { if (!fs.existsSync('hold')) { fs.appendFileSync('deploys.log', process.argv[1] + ' end\\\\n'); clearInterval(t); } }, 20)", "{ref}"]
    restart:
      run: "echo restarted"
  db:
    restart:
      run: "echo restarted"
`);
  });
  afterEach(() => sandbox.remove());

  const hold = () => writeFileSync(join(sandbox.dir.path, 'hold'), '');
  const letGo = () => rmSync(join(sandbox.dir.path, 'hold'), {force: true});
  const log = () => (existsSync(join(sandbox.dir.path, 'deploys.log')) ? readFileSync(join(sandbox.dir.path, 'deploys.log'), 'utf8') : '');

  it('a second deploy of the same service exits 3 naming who holds it, and is recorded as refused; status and other services go on', async () => {
    hold();
    const first = collect(sandbox.spawn(['deploy', 'web', '--ref', 'v1']));
    await waitFor(() => log().includes('v1 start'), 'the first deploy to start');

    const second = await sandbox.run(['deploy', 'web', '--ref', 'v2']);
    assert.equal(second.code, 3);
    const user = userInfo().username;
    assert.match(second.stderr, new RegExp(`web is being deployed by ${user}@${hostname().replaceAll('.', '\\.')} \\(pid \\d+, since \\d\\d:\\d\\d\\)\\. Nothing ran\\.`));
    assert.match(second.stderr, /--wait/);
    assert.doesNotMatch(log(), /v2/);
    const restart = await sandbox.run(['restart', 'web']);
    assert.equal(restart.code, 3, 'restart of the same service waits its turn too');
    assert.match(restart.stderr, /web is being deployed by/);

    assert.equal((await sandbox.run(['status', 'web'])).code, 0, 'status never locks');
    assert.equal((await sandbox.run(['restart', 'db'])).code, 0, 'other services are free');

    letGo();
    assert.equal((await first).code, 0);
    const refused = sandbox.journal.entries().filter((entry) => entry.outcome === 'refused');
    assert.equal(refused.length, 2);
    assert.match(refused[0].summary ?? '', /web is being deployed by/);
    assert.equal((await sandbox.run(['deploy', 'web', '--ref', 'v3'])).code, 0, 'free again once the first ended');
  });

  it('--wait waits its turn: the second deploy starts after the first ends', async () => {
    hold();
    const first = collect(sandbox.spawn(['deploy', 'web', '--ref', 'v1']));
    await waitFor(() => log().includes('v1 start'), 'the first deploy to start');
    const waiting = sandbox.spawn(['deploy', 'web', '--wait', '--ref', 'v2']);
    let said = '';
    waiting.stderr!.on('data', (chunk) => (said += chunk));
    const second = collect(waiting);
    await waitFor(() => /waiting up to/.test(said), 'the second deploy to wait');
    assert.doesNotMatch(log(), /v2/);
    letGo();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /web is being deployed by .*; waiting up to 10m00s/);
    assert.deepEqual(log().trim().split('\n'), ['v1 start', 'v1 end', 'v2 start', 'v2 end']);

    hold();
    const third = collect(sandbox.spawn(['deploy', 'web', '--ref', 'v3']));
    await waitFor(() => log().includes('v3 start'), 'the third deploy to start');
    const impatient = await sandbox.run(['deploy', 'web', '--wait', '300ms', '--ref', 'v4']);
    assert.equal(impatient.code, 3);
    assert.match(impatient.stderr, /still running after 300ms/);
    letGo();
    assert.equal((await third).code, 0);
    const bad = await sandbox.run(['deploy', 'web', '--wait=soon', '--ref', 'v5']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--wait: not a duration/);
  });

  it('a lock left by a killed deploy is taken over at once', async () => {
    hold();
    const child = sandbox.spawn(['deploy', 'web', '--ref', 'v1']);
    const done = collect(child);
    await waitFor(() => log().includes('v1 start'), 'the first deploy to start');
    child.kill('SIGKILL');
    await done;
    letGo();
    const next = await sandbox.run(['deploy', 'web', '--ref', 'v2']);
    assert.equal(next.code, 0, next.stderr);
    assert.match(log(), /v2 start\nv2 end/);
  });

});
