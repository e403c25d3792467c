import type {ServiceView} from '../core/history/view.js';
import {html, milliseconds, percent, uptimeColour} from './format.js';

/** The badges a README links to, by name: /badge/SERVICE/NAME.svg. */
export const BADGES = ['status', 'uptime-30d', 'response-time'] as const;
export type BadgeName = (typeof BADGES)[number];

/** Width of text in Verdana 11px, as shields.io measures it (close enough: about 7px a character, narrow ones less). */
function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[ilj.,:;!|'1]/.test(char) ? 3.5 : /[mwMW@%]/.test(char) ? 10 : /[A-Z0-9]/.test(char) ? 7.5 : 6.5;
  return Math.ceil(width) + 10;
}

/** A shields-style badge: label on grey, value on its colour, both said in the SVG's title for screen readers. */
export function badge(label: string, value: string, colour: string): string {
  const left = textWidth(label);
  const right = textWidth(value);
  const total = left + right;
  const title = `${label}: ${value}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${html(title)}"><title>${html(title)}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/><rect width="${total}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="15" fill="#010101" fill-opacity=".3">${html(label)}</text><text x="${left / 2}" y="14">${html(label)}</text>
<text x="${left + right / 2}" y="15" fill="#010101" fill-opacity=".3">${html(value)}</text><text x="${left + right / 2}" y="14">${html(value)}</text></g></svg>
`;
}

/** A service's badge: its state now, its uptime over 30 days, or its response time (p50 over 24 hours). */
export function serviceBadge(service: ServiceView, name: BadgeName): string {
  switch (name) {
    case 'status': {
      const state = service.now.state;
      const colour = state === 'up' ? '#1a7f37' : state === 'down' || state === 'failing' ? '#cf222e' : state === 'quiet' ? '#0969da' : '#8c959f';
      return badge(service.service, state, colour);
    }
    case 'uptime-30d': {
      const month = service.windows.find((window) => window.label === '30d') ?? service.windows[0];
      return badge(`${service.service} 30d`, percent(month?.uptime ?? null), uptimeColour(month?.uptime ?? null).fill);
    }
    case 'response-time': {
      const day = service.windows.find((window) => window.label === '24h') ?? service.windows[0];
      const p50 = day?.p50Ms ?? null;
      return badge(`${service.service} p50`, p50 === null ? 'no data' : milliseconds(p50), p50 === null ? '#8c959f' : p50 < 300 ? '#1a7f37' : p50 < 1000 ? '#bf8700' : '#cf222e');
    }
  }
}
