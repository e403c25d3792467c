import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {connect} from 'node:net';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Browser} from 'playwright-core';
import {Sandbox, waitFor} from '../support/cli.js';
import {launchBrowser} from '../support/browser.js';
import {httpService, type Running} from '../support/servers.js';
import {RunningWatcher} from '../support/watcher.js';
import {spawnOnHost} from '../support/hosts.js';
import {testPostgres, usePostgres} from '../support/postgres.js';

const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

interface Figures {
  label: string;
  uptime: number | null;
  upMs: number;
  downMs: number;
  samples: {up: number; down: number; quiet: number};
}

/** A GET with the raw path as given (no URL normalisation), its status and body. */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{status: number; body: string; headers: Record<string, string | string[] | undefined>}> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({host: hostname, port, path, headers, method: 'GET'}, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({status: response.statusCode ?? 0, body, headers: response.headers}));
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * The status page end to end: a real watcher process serving it beside its rounds, loopback services going down
 * and up, the same figures from `foggy uptime`, the JSON API and the page in headless Chromium; hostile requests
 * answered with a clear status while the watcher keeps watching.
 */
describe('the status page, end to end', function () {
  this.timeout(90_000);
  let site: Running;
  let up = true;
  let hits = 0;
  let sandbox: Sandbox;
  let watcher: RunningWatcher;
  let pageUrl: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const TOKEN = 'page-token-0123';

  before(async () => {
    site = await httpService((request, response) => {
      if (request.url === '/') hits++;
      response.statusCode = request.url === '/' ? (up ? 200 : 503) : 200;
      response.end('Hello');
    });
    sandbox = new Sandbox(
      `version: 1
watch: {interval: 100ms, down_after: 2, up_after: 1, remind: 0}
page: {title: "Hello World status"}
services:
  web:
    description: Hello World web site
    status:
      - http: ${site.url}
        headers: {Authorization: "Bearer sekrit-header-value-1234"}
        timeout: 500ms
  api:
    status:
      - http: ${site.url}api
        timeout: 500ms
`,
      {FOGGY_PAGE_TOKEN: TOKEN},
    );
    watcher = new RunningWatcher(sandbox.spawn(['watch', '--json', '--listen', '127.0.0.1:0']));
    let stderr = '';
    watcher.child.stderr!.on('data', (chunk) => (stderr += chunk));
    await waitFor(() => /Status page: (http:\S+)/.test(stderr), 'the page to listen');
    pageUrl = /Status page: (http:\S+)/.exec(stderr)![1];
    await watcher.until('web', 'up');
    ({browser, close: closeBrowser} = await launchBrowser());
  });
  after(async () => {
    await closeBrowser?.();
    watcher?.child.kill('SIGKILL');
    site.close();
    sandbox.remove();
  });

  const api = async <T>(path: string): Promise<T> => {
    const response = await get(pageUrl, path, {authorization: `Bearer ${TOKEN}`});
    assert.equal(response.status, 200, `${path}: ${response.body}`);
    return JSON.parse(response.body) as T;
  };

  it('the figures of the page, the API and foggy uptime are the same, and the samples behind them are the rounds made', async () => {
    up = false;
    const incident = await (async () => {
      await waitFor(() => watcher.events.some((e) => e.service === 'web' && e.state === 'down' && e.incident), 'web down', 15_000);
      return watcher.events.find((e) => e.service === 'web' && e.state === 'down')!;
    })();
    up = true;
    await waitFor(() => watcher.events.some((e) => e.service === 'web' && e.state === 'up' && e.incident === incident.incident), 'web up again', 15_000);
    const made = hits;
    // A round or two more may be under way; the figures are read at once from every view.
    const apiView = await api<{services: {service: string; windows: Figures[]; now: {state: string}}[]}>('/api/v1/services');
    const uptime = await sandbox.run(['uptime', 'web', '--json']);
    assert.equal(uptime.code, 0, uptime.stderr);
    const cli = JSON.parse(uptime.stdout) as {services: {service: string; windows: Figures[]; incidents: {id: string; open: boolean; lengthMs: number}[]}[]};
    const fromApi = apiView.services.find((s) => s.service === 'web')!.windows.find((w) => w.label === '24h')!;
    const fromCli = cli.services[0].windows.find((w) => w.label === '24h')!;
    const samples = fromApi.samples.up + fromApi.samples.down;
    assert.ok(Math.abs(samples - made) <= 2, `samples ${samples} for ${made} rounds`);
    assert.ok(fromApi.samples.down >= 2, 'the down rounds were counted');
    assert.ok(Math.abs(fromCli.samples.down - fromApi.samples.down) <= 1 && Math.abs(fromCli.samples.up - fromApi.samples.up) <= 2, 'the same numbers, read a moment apart');
    assert.ok(fromApi.uptime! > 0 && fromApi.uptime! < 1);
    assert.deepEqual(cli.services[0].incidents.map((i) => [i.id, i.open]), [[incident.incident, false]]);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('requestfailed', (failed) => problems.push(`${failed.url()}: ${failed.failure()?.errorText}`));
    await page.goto(`${pageUrl}?token=${TOKEN}`);
    assert.equal(await page.title(), 'Hello World status');
    const webCard = page.locator('#svc-web');
    const shownUptime = await webCard.locator('table.figures tbody tr').first().locator('td').first().textContent();
    const expected = Math.floor(fromApi.uptime! * 10_000) / 100;
    assert.ok(Math.abs(Number(shownUptime!.replace('%', '')) - expected) <= 2, `the page shows ${shownUptime}, the API ${expected}%`);
    assert.equal(await webCard.locator('svg[role=img] rect').count(), 90, '90 daily bars');
    const today = await webCard.locator('svg[role=img] rect').last().locator('title').textContent();
    assert.match(today!, /^\d{4}-\d{2}-\d{2}: \d+(\.\d+)?% up .*; \d+ up and \d+ down samples/);
    assert.match((await webCard.locator('svg[role=img] rect').first().locator('title').textContent())!, /: no data$/);
    assert.match((await page.locator('#recent-incidents ~ table, #recent-incidents + table').first().textContent()) ?? '', /web/);
    const snapshot = await page.locator('main').ariaSnapshot();
    assert.match(snapshot, /heading "web"/);
    assert.match(snapshot, /img "web, last 90 days: \d+ days? with data; lowest/);
    assert.match(snapshot, /img "web, response time per hour over the last week/);
    assert.doesNotMatch(await page.content(), /sekrit-header-value/, 'no secret on the page');
    assert.doesNotMatch(await page.content(), new RegExp(site.url.replaceAll('/', '\\/')), 'no check target unless page.show_targets');
    mkdirSync(OUTPUT, {recursive: true});
    await page.setViewportSize({width: 420, height: 900});
    await page.screenshot({path: join(OUTPUT, 'status-page-phone.png'), fullPage: true});
    await page.setViewportSize({width: 1280, height: 900});
    await page.screenshot({path: join(OUTPUT, 'status-page.png'), fullPage: true});
    assert.ok(existsSync(join(OUTPUT, 'status-page.png')));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('without JavaScript it reads the same; the badges render; a service going down shows within one refresh', async () => {
    const context = await browser.newContext({javaScriptEnabled: false});
    const page = await context.newPage();
    await page.goto(`${pageUrl}?token=${TOKEN}`);
    assert.equal(await page.locator('article').count(), 2);
    assert.match((await page.locator('#svc-api .state').textContent())!, /up/);
    for (const name of ['status', 'uptime-30d', 'response-time']) {
      const badge = await page.goto(`${pageUrl}badge/web/${name}.svg`);
      assert.equal(badge?.status(), 200);
      assert.equal(badge?.headers()['content-type'], 'image/svg+xml; charset=utf-8');
    }
    await page.goto(`${pageUrl}?token=${TOKEN}`);
    await page.setContent(`<img id="b" src="${pageUrl}badge/api/uptime-30d.svg">`);
    const drawn = () => page.locator('#b').evaluate((img) => (img as unknown as {complete: boolean; naturalWidth: number}).naturalWidth);
    await waitFor(async () => (await drawn()) > 0, 'the badge to load');
    assert.ok((await drawn()) > 40, 'the badge draws');
    await context.close();

    const live = await browser.newPage();
    await live.goto(`${pageUrl}?token=${TOKEN}`);
    assert.match((await live.locator('#svc-web .state').textContent())!, /^up$/);
    up = false;
    await waitFor(() => watcher.events.filter((e) => e.service === 'web' && e.state === 'down' && e.incident).length >= 2, 'web down again', 15_000);
    // What the page's refresh does (it reloads every 30s; its figures are at most 2s old): within one refresh.
    const seen = Date.now();
    await waitFor(async () => {
      await live.reload();
      return (await live.locator('#svc-web .state').textContent()) === 'down';
    }, 'the page to show web down', 30_000);
    assert.ok(Date.now() - seen < 30_000);
    assert.match((await live.locator('#open-incidents + table').textContent())!, /web/);
    up = true;
    await live.close();
  });

  it('asks for its token (but for the badges); answers bad paths 404, bad queries 400, other methods 405; serves nothing outside its routes', async () => {
    const cases: [string, number][] = [
      ['/', 401],
      ['/api/v1/services', 401],
      ['/healthz', 401],
      [`/healthz?token=${TOKEN}`, 200],
      ['/badge/web/status.svg', 200],
      ['/badge/nope/status.svg', 404],
      ['/badge/web/other.svg', 404],
      ['/badge/web/../../etc/passwd', 404],
      ['/../../../etc/passwd', 404],
      ['/%2e%2e/%2e%2e/etc/passwd', 404],
      ['/badge/web%2Fstatus.svg', 404],
      ['/api/v1/services/web%2F..%2Fapi', 404],
      ['/etc/passwd', 404],
      ['/index.html/', 404],
      ['//etc', 404],
      [`/${'a'.repeat(5000)}`, 414],
      [`/api/v1/uptime?token=${TOKEN}&since=${'9'.repeat(2000)}`, 414],
      [`/api/v1/uptime?token=${TOKEN}&since=soon`, 400],
      [`/api/v1/uptime?token=${TOKEN}&since=0s`, 400],
      [`/api/v1/uptime?token=${TOKEN}&from=2026-13-45`, 400],
      [`/api/v1/uptime?token=${TOKEN}&from=2026-12-02&to=2026-12-01`, 400],
      [`/api/v1/uptime?token=${TOKEN}&service=../web`, 400],
      [`/api/v1/uptime?token=${TOKEN}&service=nope`, 400],
      [`/api/v1/uptime?token=${TOKEN}&bogus=1`, 400],
      [`/api/v1/uptime?token=${TOKEN}&since=%zz`, 400],
      [`/api/v1/runs?token=${TOKEN}&limit=0`, 400],
      [`/api/v1/runs?token=${TOKEN}&limit=5`, 200],
      [`/api/v1/incidents?token=${TOKEN}&since=30d`, 200],
      [`/api/v1/services/web?token=${TOKEN}`, 200],
      [`/api/v1/services/nope?token=${TOKEN}`, 404],
      [`/api/v2/services?token=${TOKEN}`, 404],
    ];
    for (const [path, status] of cases) {
      const response = await get(pageUrl, path);
      assert.equal(response.status, status, `${path.slice(0, 80)}: ${response.status} ${response.body.slice(0, 100)}`);
      if (response.status === 401) assert.equal(response.headers['www-authenticate'], 'Bearer realm="foggy"');
    }
    const post = await new Promise<number>((resolve) => {
      const {hostname, port} = new URL(pageUrl);
      httpRequest({host: hostname, port, path: '/', method: 'POST'}, (response) => resolve(response.statusCode ?? 0)).end('x');
    });
    assert.equal(post, 405);
    const wrong = await get(pageUrl, '/api/v1/services', {authorization: 'Bearer wrong'});
    assert.equal(wrong.status, 401);
  });

  it('many connections at once, and a connection that never finishes its request: each gets a clear status, and the watcher keeps watching', async () => {
    const {hostname, port} = new URL(pageUrl);
    const slow = connect(Number(port), hostname);
    slow.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const rounds = watcher.events.length;
    const before = hits;
    const answers = await Promise.all(Array.from({length: 150}, (_, i) => get(pageUrl, i % 3 === 0 ? '/badge/web/status.svg' : `/api/v1/services?token=${TOKEN}`).then((r) => r.status, () => 0)));
    const statuses = new Set(answers);
    for (const status of statuses) assert.ok([200, 503].includes(status), `status ${status}`);
    assert.ok(answers.filter((status) => status === 200).length >= 64);
    slow.destroy();
    await waitFor(() => hits > before + 5, 'more rounds while and after the flood');
    assert.ok(watcher.events.length >= rounds);
  });

  it('foggy uptime --html writes the same page, its badges and JSON as static files', async () => {
    const out = join(sandbox.dir.path, 'public');
    const result = await sandbox.run(['uptime', '--html', out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Wrote \d+ files into .*public/);
    for (const file of ['index.html', 'api/v1/services.json', 'api/v1/services/web.json', 'api/v1/incidents.json', 'api/v1/runs.json', 'badge/web/status.svg', 'badge/api/uptime-30d.svg', 'badge/web/response-time.svg']) {
      assert.ok(existsSync(join(out, file)), file);
    }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /<title>Hello World status<\/title>/);
    assert.match(html, /href="\.\/api\/v1\/services\.json"/);
    assert.doesNotMatch(html, /sekrit-header-value/);
    const page = await browser.newPage();
    await page.goto(`file://${join(out, 'index.html')}`);
    assert.equal(await page.locator('article').count(), 2);
    await page.close();
  });
});

describe('a history file that is not a database', () => {
  it('foggy uptime says which file and what to do (exit 2); foggy watch says it once and watches without it', async () => {
    const sandbox = new Sandbox('version: 1\nservices:\n  web:\n    status:\n      - tcp: 127.0.0.1:1\n');
    try {
      const state = join(sandbox.env.XDG_STATE_HOME!, 'foggy');
      mkdirSync(state, {recursive: true});
      writeFileSync(join(state, 'history.sqlite'), 'not a database, only some bytes '.repeat(200));
      const uptime = await sandbox.run(['uptime']);
      assert.equal(uptime.code, 2, uptime.stderr);
      assert.match(uptime.stderr, /^Error: The history file .*history\.sqlite is not a database foggy can read \(file is not a database\)\.\nMove it away/m);
      const watch = await sandbox.run(['watch', '--once']);
      assert.equal(watch.code, 1, watch.stderr);
      assert.match(watch.stderr, /history\.sqlite is not a database foggy can read \(file is not a database\): watching without keeping it\./);
      assert.doesNotMatch(`${uptime.stderr}${watch.stderr}`, /internal error|at .*\.ts:\d+/);
    } finally {
      sandbox.remove();
    }
  });
});

describe('the history on the team\'s PostgreSQL', function () {
  this.timeout(60_000);
  usePostgres();

  it('two watchers: only the active one writes the samples, counted once; any foggy of the team reads the same figures', async () => {
    let hits = 0;
    const site = await httpService((_, response) => {
      hits++;
      response.end('Hello');
    });
    const url = await (await testPostgres()).database();
    const catalog = `version: 1\nwatch: {interval: 100ms, remind: 0}\nservices:\n  web:\n    status:\n      - http: ${site.url}\n        timeout: 500ms\n`;
    const hostA = new Sandbox(catalog, {FOGGY_DATABASE_URL: url});
    const hostB = new Sandbox(catalog, {FOGGY_DATABASE_URL: url});
    const watchers: RunningWatcher[] = [];
    try {
      for (const [name, sandbox] of [['host-a', hostA], ['host-b', hostB]] as const) {
        const watcher = new RunningWatcher(spawnOnHost(name, sandbox, ['watch', '--json']));
        watchers.push(watcher);
      }
      await waitFor(() => hits >= 40, 'forty rounds');
      for (const watcher of watchers) watcher.child.kill('SIGTERM');
      await Promise.all(watchers.map((watcher) => watcher.done));
      const made = hits;
      const read = async (sandbox: Sandbox) => {
        const result = await sandbox.run(['uptime', '--json']);
        assert.equal(result.code, 0, result.stderr);
        return (JSON.parse(result.stdout) as {services: {windows: Figures[]}[]}).services[0].windows[0];
      };
      const [a, b] = [await read(hostA), await read(hostB)];
      assert.deepEqual(a.samples, b.samples, 'the same figures from either host');
      assert.ok(Math.abs(a.samples.up - made) <= 2, `${a.samples.up} samples for ${made} rounds: none counted twice`);
      assert.equal(a.uptime, 1);
    } finally {
      for (const watcher of watchers) watcher.child.kill('SIGKILL');
      site.close();
      hostA.remove();
      hostB.remove();
    }
  });
});
