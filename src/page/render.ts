import type {DayFigures, HistoryView, LatencyPoint, ServiceView} from '../core/history/view.js';
import {count, html, milliseconds, minutes, moment, percent, uptimeColour} from './format.js';

/**
 * The status page, whole, as HTML that needs no JavaScript: every service with its state now, its daily bars
 * (colour by uptime, a tooltip with the day's figures, grey for no data), uptime over 24h, 7d, 30d and 90d, a
 * response-time chart, its incidents; the open incidents first, and the latest deploys, restarts and rollbacks.
 * Every bar and chart has a text alternative; colours always come with words.
 */
export interface PageOptions {
  title: string;
  /** Seconds between reloads (the page refreshes itself: a service going down shows within one). */
  refreshSeconds: number;
  /** Where the badges and the API are, from this page (a server's root, or the export's directory). */
  base: string;
  /** What the API's file names end with: nothing on a server, .json in a static export. */
  apiSuffix?: string;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--line:#d1d9e0;--up:#1a7f37;--down:#cf222e;--warn:#9a6700;--quiet:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#f0f6fc;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--up:#3fb950;--down:#ff7b72;--warn:#d29922;--quiet:#58a6ff}}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:0}
.muted{color:var(--muted)}section{margin:1.5rem 0}article{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:.8rem 0}
.head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;justify-content:space-between}
.state{font-weight:600;padding:.05rem .5rem;border-radius:1rem;border:1px solid currentColor}
.up{color:var(--up)}.down,.failing{color:var(--down)}.quiet{color:var(--quiet)}.no-data{color:var(--muted)}
svg{display:block;width:100%;height:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.2rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
.figures td,.figures th{text-align:right}.figures th:first-child,.figures td:first-child{text-align:left}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.legend span{margin-right:1rem}.key{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;vertical-align:middle;margin-right:.25rem}
`;

export function renderPage(view: HistoryView, options: PageOptions): string {
  const open = view.services.flatMap((service) => service.incidents.filter((incident) => incident.open));
  const recent = view.services.flatMap((service) => service.incidents.filter((incident) => !incident.open)).sort((a, b) => b.started.localeCompare(a.started)).slice(0, 20);
  const down = view.services.filter((service) => service.now.state === 'down' || service.now.state === 'failing').length;
  const summary = down === 0 ? `All ${count(view.services.length)} services are up` : `${count(down)} of ${count(view.services.length)} services ${down === 1 ? 'is' : 'are'} down`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${options.refreshSeconds}"><link rel="icon" href="data:,"><title>${html(options.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${html(options.title)}</h1>
<p><strong class="${down === 0 ? 'up' : 'down'}">${html(summary)}.</strong> <span class="muted">As of ${moment(view.generatedAt)}; this page reloads every ${options.refreshSeconds} s. <a href="${options.base}api/v1/services${options.apiSuffix ?? ''}">JSON</a></span></p>
<section aria-labelledby="open-incidents"><h2 id="open-incidents">Open incidents</h2>
${open.length === 0 ? '<p class="muted">None.</p>' : incidentTable(open, true)}
</section>
<section aria-labelledby="services"><h2 id="services">Services</h2>
<p class="legend muted" aria-hidden="true"><span><i class="key" style="background:#1a7f37"></i>all up</span><span><i class="key" style="background:#4ac26b"></i>≥ 99.9%</span><span><i class="key" style="background:#bf8700"></i>≥ 99%</span><span><i class="key" style="background:#cf222e"></i>less</span><span><i class="key" style="background:#8c959f"></i>no data</span></p>
${view.services.map((service) => serviceCard(service, options)).join('\n')}
</section>
<section aria-labelledby="recent-incidents"><h2 id="recent-incidents">Recent incidents</h2>
${recent.length === 0 ? '<p class="muted">None in the last 90 days.</p>' : incidentTable(recent, false)}
</section>
<section aria-labelledby="runs"><h2 id="runs">Recent deploys and restarts</h2>
${view.runs.length === 0 ? '<p class="muted">None recorded.</p>' : runTable(view)}
</section>
</main></body></html>
`;
}

function stateWords(service: ServiceView): string {
  const {now} = service;
  switch (now.state) {
    case 'quiet': {
      return `quiet (${now.quiet})`;
    }
    case 'no data': {
      return 'no data';
    }
    default: {
      return now.state;
    }
  }
}

function serviceCard(service: ServiceView, options: PageOptions): string {
  const id = `svc-${service.service}`;
  const state = service.now.state;
  const windows = service.windows;
  return `<article id="${html(id)}" aria-labelledby="${html(id)}-name">
<div class="head"><h2 id="${html(id)}-name">${html(service.service)}</h2><span class="state ${state.replace(' ', '-')}">${html(stateWords(service))}</span></div>
${service.description ? `<p class="muted">${html(service.description)}</p>` : ''}
${service.now.checkedAt ? `<p class="muted">Last checked ${moment(service.now.checkedAt)}${service.now.latencyMs === undefined ? '' : `, answered in ${milliseconds(service.now.latencyMs)}`}.</p>` : ''}
${service.targets && service.targets.length > 0 ? `<p class="muted">Checks: ${service.targets.map((target) => `<code>${html(target)}</code>`).join(', ')}</p>` : ''}
${dayBars(service.days, service.service)}
<table class="figures"><caption class="sr">Uptime of ${html(service.service)}</caption>
<thead><tr><th scope="col">Period</th>${windows.map((w) => `<th scope="col">${html(w.label)}</th>`).join('')}</tr></thead>
<tbody>
<tr><th scope="row">Uptime</th>${windows.map((w) => `<td>${percent(w.uptime)}</td>`).join('')}</tr>
<tr><th scope="row">Down</th>${windows.map((w) => `<td>${minutes(w.downMs)}</td>`).join('')}</tr>
<tr><th scope="row">Quiet</th>${windows.map((w) => `<td>${minutes(w.quietMs)}</td>`).join('')}</tr>
<tr><th scope="row">No data</th>${windows.map((w) => `<td>${minutes(w.noDataMs)}</td>`).join('')}</tr>
<tr><th scope="row">Samples up / down</th>${windows.map((w) => `<td>${count(w.samples.up)} / ${count(w.samples.down)}</td>`).join('')}</tr>
<tr><th scope="row">Response p50 / p95</th>${windows.map((w) => `<td>${milliseconds(w.p50Ms)} / ${milliseconds(w.p95Ms)}</td>`).join('')}</tr>
</tbody></table>
${latencyChart(service.latency, service.service)}
${service.incidents.length > 0 ? `<details><summary>${count(service.incidents.length)} incident${service.incidents.length === 1 ? '' : 's'} in 90 days</summary>${incidentTable(service.incidents.slice(0, 20), false)}</details>` : ''}
<p class="muted">Badges: <a href="${options.base}badge/${encodeURIComponent(service.service)}/status.svg">status</a>, <a href="${options.base}badge/${encodeURIComponent(service.service)}/uptime-30d.svg">uptime 30d</a>, <a href="${options.base}badge/${encodeURIComponent(service.service)}/response-time.svg">response time</a></p>
</article>`;
}

/** One bar per day, coloured by uptime, each with its figures as a tooltip (title) and in the SVG's description. */
function dayBars(days: DayFigures[], service: string): string {
  const width = 4;
  const gap = 1;
  const bars = days
    .map((day, index) => {
      const {fill, word} = uptimeColour(day.uptime);
      const tip = day.uptime === null ? `${day.day}: no data` : `${day.day}: ${percent(day.uptime)} up (${word}); down ${minutes(day.downMs)}, quiet ${minutes(day.quietMs)}, no data ${minutes(day.noDataMs)}; ${count(day.samples.up)} up and ${count(day.samples.down)} down samples; p50 ${milliseconds(day.p50Ms)}, p95 ${milliseconds(day.p95Ms)}`;
      return `<rect x="${index * (width + gap)}" y="0" width="${width}" height="24" rx="1" fill="${fill}"><title>${html(tip)}</title></rect>`;
    })
    .join('');
  const watched = days.filter((day) => day.uptime !== null);
  const worst = watched.reduce<DayFigures | undefined>((low, day) => (!low || day.uptime! < low.uptime! ? day : low), undefined);
  const label = watched.length === 0 ? `${service}: no data in the last ${days.length} days` : `${service}, last ${days.length} days: ${watched.length} days with data; lowest ${percent(worst!.uptime)} on ${worst!.day}`;
  return `<svg role="img" aria-label="${html(label)}" viewBox="0 0 ${days.length * (width + gap)} 24" preserveAspectRatio="none" style="max-height:2.2rem"><title>${html(label)}</title>${bars}</svg>
<p class="muted" style="display:flex;justify-content:space-between;margin:.1rem 0 .6rem"><span>${html(days[0]?.day ?? '')}</span><span>today</span></p>`;
}

/** p50 and p95 per hour over the last week, with the figures in words for whoever cannot see the lines. */
function latencyChart(points: LatencyPoint[], service: string): string {
  const known = points.filter((point) => point.p95Ms !== null || point.p50Ms !== null);
  if (known.length === 0) return '<p class="muted">Response time: no data in the last week.</p>';
  const top = Math.max(1, ...known.map((point) => point.p95Ms ?? point.p50Ms ?? 0));
  const width = 336;
  const height = 60;
  const x = (index: number) => ((index / Math.max(1, points.length - 1)) * width).toFixed(1);
  const y = (ms: number) => (height - (ms / top) * (height - 4)).toFixed(1);
  const line = (pick: (point: LatencyPoint) => number | null, colour: string, width: number) => {
    const at = points.map((point, index) => [index, pick(point)] as const).filter(([, ms]) => ms !== null);
    // A line needs two points; a first hour of history is a dot.
    if (at.length === 1) return `<circle cx="${x(at[0][0])}" cy="${y(at[0][1]!)}" r="2.5" fill="${colour}"/>`;
    return `<polyline fill="none" stroke="${colour}" stroke-width="${width}" points="${at.map(([index, ms]) => `${x(index)},${y(ms!)}`).join(' ')}"/>`;
  };
  const p50s = known.map((point) => point.p50Ms).filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  const label = `${service}, response time per hour over the last week: p50 from ${milliseconds(p50s[0] ?? null)} to ${milliseconds(p50s.at(-1) ?? null)}, p95 at most ${milliseconds(top)}`;
  return `<figure style="margin:.6rem 0"><svg role="img" aria-label="${html(label)}" viewBox="0 0 ${width} ${height}" style="max-height:5rem"><title>${html(label)}</title>
${line((point) => point.p95Ms, '#bc4c00', 1.2)}
${line((point) => point.p50Ms, '#0969da', 1.6)}</svg>
<figcaption class="muted">Response time, last 7 days: <span style="color:#0969da">p50</span> and <span style="color:#bc4c00">p95</span>; top of the chart ${milliseconds(top)}.</figcaption></figure>`;
}

function incidentTable(incidents: ServiceView['incidents'], open: boolean): string {
  const rows = incidents
    .map((incident) => `<tr><td>${html(incident.service)}</td><td>${moment(incident.started)}</td><td>${open ? `${minutes(incident.lengthMs)} so far` : minutes(incident.lengthMs)}</td><td>${html(incident.summary ?? '')}</td></tr>`)
    .join('');
  return `<table><thead><tr><th scope="col">Service</th><th scope="col">Since</th><th scope="col">${open ? 'Lasting' : 'Length'}</th><th scope="col">What</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function runTable(view: HistoryView): string {
  const rows = view.runs
    .map((run) => `<tr><td>${moment(run.started)}</td><td>${html(run.verb)}</td><td>${html(run.service)}</td><td>${run.ref ? `<code>${html(run.ref)}</code>` : ''}</td><td>${html(run.who ?? '')}</td><td>${html(run.outcome?.replace('_', ' ') ?? 'running')}</td></tr>`)
    .join('');
  return `<table><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Service</th><th scope="col">Ref</th><th scope="col">Who</th><th scope="col">Outcome</th></tr></thead><tbody>${rows}</tbody></table>`;
}
