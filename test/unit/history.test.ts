import assert from 'node:assert/strict';
import {join} from 'node:path';
import {parseCatalog} from '../../src/core/catalog/parse.js';
import {figuresOf} from '../../src/core/history/figures.js';
import {emptyHistogram, histogramOf, histogramPercentile} from '../../src/core/history/latency.js';
import {openSqlite} from '../../src/core/history/sqlite.js';
import {HistoryStore, type RoundSample} from '../../src/core/history/store.js';
import {historyView} from '../../src/core/history/view.js';
import {tempDir} from '../support/temp.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

const catalog = parseCatalog('version: 1\nservices:\n  web:\n    description: the site\n    status:\n      - http: http://127.0.0.1:1/\n  db:\n    status:\n      - tcp: 127.0.0.1:1\n', '/srv/foggy.yml', {});

/** A watcher's rounds written through the store, with a driven clock: `state(t)` says how each service was at t. */
async function rounds(store: HistoryStore, from: number, to: number, state: (t: number, service: string) => {ok: boolean; latencyMs?: number; quiet?: string} | undefined, every = MINUTE): Promise<void> {
  for (let t = from; t < to; t += every) {
    const samples: RoundSample[] = [];
    for (const service of ['web', 'db']) {
      const s = state(t, service);
      if (s) samples.push({service, ok: s.ok, latencyMs: s.latencyMs ?? 20, quiet: s.quiet, spanMs: every, checks: [{name: 'check', ok: s.ok, latencyMs: s.latencyMs ?? 20, detail: s.ok ? '200 OK' : 'connection refused'}]});
    }
    await store.record(t, samples);
    await store.maintain(t + every);
  }
}

describe('history: samples kept, rolled up and read back', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: HistoryStore;
  beforeEach(() => {
    dir = tempDir();
    store = new HistoryStore(openSqlite(join(dir.path, 'history.sqlite')));
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('uptime is up time over watched time; down for 30 minutes is 30 minutes; no data is never up', async () => {
    const start = at('2026-12-01T00:00:00Z');
    const now = start + 3 * DAY;
    // web: down 10:00–10:30 on the 2nd; the watcher stopped from 12:00 to 14:00 on the 3rd.
    await rounds(store, start, now, (t) => {
      if (t >= at('2026-12-03T12:00:00Z') && t < at('2026-12-03T14:00:00Z')) return undefined;
      return {ok: !(t >= at('2026-12-02T10:00:00Z') && t < at('2026-12-02T10:30:00Z'))};
    });
    const view = await historyView(store, catalog, now, {services: ['web'], days: 5});
    const [web] = view.services;
    const threeDays = figuresOf((await store.pieces(['web'], start, now, now)), start, now);
    assert.equal(threeDays.downMs, 30 * MINUTE);
    assert.equal(threeDays.noDataMs, 2 * HOUR);
    assert.equal(threeDays.upMs, 3 * DAY - 30 * MINUTE - 2 * HOUR);
    assert.ok(Math.abs(threeDays.uptime! - (1 - 30 / (3 * 1440 - 120))) < 1e-9);
    assert.deepEqual(threeDays.samples, {up: 3 * 1440 - 30 - 120, down: 30, quiet: 0});
    // The 24h window: the last day, with its 2 hours of no data; the 7d window: four days of no data before the first sample.
    const day = web.windows.find((w) => w.label === '24h')!;
    assert.deepEqual([day.downMs, day.noDataMs, day.uptime], [0, 2 * HOUR, 1]);
    const week = web.windows.find((w) => w.label === '7d')!;
    assert.equal(week.noDataMs, 4 * DAY + 2 * HOUR);
    assert.equal(week.downMs, 30 * MINUTE);
    // Daily bars: two days before the first sample have no data at all (grey), never 100%.
    assert.deepEqual(web.days.map((d) => [d.day, d.uptime === null ? null : Number(d.uptime.toFixed(5))]), [
      ['2026-11-30', null],
      ['2026-12-01', 1],
      ['2026-12-02', Number((1 - 30 / 1440).toFixed(5))],
      ['2026-12-03', 1],
      ['2026-12-04', null],
    ]);
    assert.equal(web.now.state, 'up');
    const later = await historyView(store, catalog, now + 2 * DAY, {services: ['web'], days: 1});
    assert.equal(later.services[0].now.state, 'no data', 'a last sample two days old says nothing of now');
  });

  it('an hour\'s rollup holds the samples of that hour, however the rounds fall around its boundary', async () => {
    const start = at('2026-12-01T09:58:30Z');
    await rounds(store, start, start + 4 * MINUTE, () => ({ok: true, latencyMs: 10}));
    await rounds(store, at('2026-12-01T10:02:30Z'), at('2026-12-01T10:04:30Z'), () => ({ok: false, latencyMs: 90}));
    await store.maintain(at('2026-12-01T12:00:00Z'));
    const hourly = (await store.pieces(['web'], at('2026-12-01T09:00:00Z'), at('2026-12-01T11:00:00Z'), at('2026-12-01T12:00:00Z'))).sort((a, b) => a.start - b.start);
    assert.deepEqual(hourly.map((p) => [new Date(p.start).toISOString().slice(11, 16), p.upN, p.downN]), [
      ['09:00', 2, 0],
      ['10:00', 2, 2],
    ]);
  });

  it('quiet time is counted apart: never down, never up', async () => {
    const start = at('2026-12-01T00:00:00Z');
    await rounds(store, start, start + HOUR, (t) => (t < start + 20 * MINUTE ? {ok: false, quiet: 'action'} : {ok: true}));
    const figures = figuresOf(await store.pieces(['web'], start, start + HOUR, start + HOUR), start, start + HOUR);
    assert.deepEqual([figures.quietMs, figures.downMs, figures.upMs, figures.uptime, figures.samples.quiet], [20 * MINUTE, 0, 40 * MINUTE, 1, 20]);
  });

  it('a period that starts in the middle of a day counts the part of it inside', async () => {
    const start = at('2026-12-01T00:00:00Z');
    await rounds(store, start, start + 2 * DAY, (t) => ({ok: t % (2 * HOUR) >= HOUR}), 5 * MINUTE);
    const now = start + 2 * DAY + 10 * MINUTE;
    await store.maintain(now);
    const half = figuresOf(await store.pieces(['web'], start + 12 * HOUR, start + DAY, now), start + 12 * HOUR, start + DAY);
    assert.deepEqual([half.upMs, half.downMs, half.noDataMs], [6 * HOUR, 6 * HOUR, 0]);
  });

  it('raw samples go after 48 hours, once rolled up; the figures stay', async () => {
    const start = at('2026-12-01T00:00:00Z');
    await rounds(store, start, start + 4 * DAY, (t) => ({ok: t < start + DAY}), 10 * MINUTE);
    const [{count}] = await store.sql.all<{count: number}>('select count(*) as count from rounds where at < ?', [start + 4 * DAY - 49 * HOUR]);
    assert.equal(count, 0);
    const all = figuresOf(await store.pieces(['web'], start, start + 4 * DAY, start + 4 * DAY), start, start + 4 * DAY);
    assert.deepEqual([all.upMs, all.downMs], [DAY, 3 * DAY]);
  });

  it('days in a time zone with a daylight-saving change: the short day has 23 hours', async () => {
    // Berlin, 2027-03-28: clocks jump from 02:00 to 03:00.
    const start = at('2027-03-26T00:00:00Z');
    const now = at('2027-03-30T00:00:00Z');
    await rounds(store, start, now, () => ({ok: true}), 10 * MINUTE);
    const view = await historyView(store, catalog, now, {services: ['web'], days: 3, timeZone: 'Europe/Berlin'});
    const lengths = view.services[0].days.map((d) => [d.day, (d.upMs + d.downMs + d.quietMs + d.noDataMs) / HOUR]);
    assert.deepEqual(lengths, [
      ['2027-03-28', 23],
      ['2027-03-29', 24],
      ['2027-03-30', 2],
    ]);
    assert.deepEqual(view.services[0].days.map((d) => d.uptime), [1, 1, 1]);
  });

  it('incidents and runs as the page lists them', async () => {
    const now = at('2026-12-01T12:00:00Z');
    await store.saveIncident({id: 'i1', service: 'web', started: now - HOUR, ended: now - 30 * MINUTE, summary: 'web is down'});
    await store.saveIncident({id: 'i2', service: 'db', started: now - 10 * MINUTE, summary: 'db is down'});
    await store.saveRun({entry: 'r1', service: 'web', verb: 'deploy', ref: 'v2', who: 'alice', started: now - 2 * HOUR, ended: now - 2 * HOUR + MINUTE, outcome: 'succeeded'});
    const view = await historyView(store, catalog, now);
    assert.deepEqual(view.services.find((s) => s.service === 'web')!.incidents.map((i) => [i.id, i.lengthMs, i.open]), [['i1', 30 * MINUTE, false]]);
    assert.deepEqual(view.services.find((s) => s.service === 'db')!.now, {state: 'down', incident: 'i2'});
    assert.deepEqual(view.runs.map((r) => [r.entry, r.ref, r.who, r.outcome]), [['r1', 'v2', 'alice', 'succeeded']]);
  });
});

describe('history: response times from histograms', () => {
  it('percentiles read from the bins are within a bin of the exact ones', () => {
    const latencies = Array.from({length: 1000}, (_, i) => 5 + (i % 100) * 3);
    const sorted = [...latencies].sort((a, b) => a - b);
    const histogram = histogramOf(latencies);
    for (const p of [50, 95]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1];
      const read = histogramPercentile(histogram, p)!;
      assert.ok(read >= exact && read <= exact * 1.26, `p${p}: ${read} for ${exact}`);
    }
    assert.equal(histogramPercentile(emptyHistogram(), 50), null);
  });
});

describe('history: what a page shows of a check', () => {
  it('its target (URL, host:port, name, command) is hidden unless the catalog says to show it; a name given to it stays', async () => {
    const {targetHider} = await import('../../src/core/history/targets.js');
    const hide = targetHider(parseCatalog('version: 1\nservices:\n  web:\n    status:\n      - http: https://web.internal:8443/health\n      - tcp: db.internal:5432\n        name: database\n      - dns: web.internal\n', '/srv/foggy.yml', {}));
    assert.equal(hide('web is down: https://web.internal:8443/health: 503; database: connection refused (db.internal:5432)'), 'web is down: http check: 503; database: connection refused (tcp check)');
    assert.equal(hide('web.internal does not resolve'), 'dns check does not resolve');
  });
});
