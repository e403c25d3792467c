import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {HistoryView} from '../core/history/view.js';
import {apiIncidents, apiServices} from './api.js';
import {BADGES, serviceBadge} from './badges.js';
import {renderPage} from './render.js';

/**
 * The status page as static files, for teams that publish status from CI to any static host: index.html, the
 * badges (badge/SERVICE/NAME.svg) and the API's answers as files (api/v1/services.json, …). Returns the files
 * written, relative to `dir`.
 */
export function exportPage(view: HistoryView, dir: string, options: {title: string}): string[] {
  const written: string[] = [];
  const write = (path: string, text: string) => {
    const target = join(dir, path);
    mkdirSync(join(target, '..'), {recursive: true});
    writeFileSync(target, text);
    written.push(path);
  };
  // A static copy does not reload itself into anything newer: no refresh worth having, but a long one keeps it fresh where it is republished.
  write('index.html', renderPage(view, {title: options.title, refreshSeconds: 300, base: './', apiSuffix: '.json'}));
  write('api/v1/services.json', JSON.stringify(apiServices(view), null, 2) + '\n');
  write('api/v1/incidents.json', JSON.stringify(apiIncidents(view), null, 2) + '\n');
  write('api/v1/runs.json', JSON.stringify({generatedAt: view.generatedAt, runs: view.runs}, null, 2) + '\n');
  for (const service of view.services) {
    write(`api/v1/services/${service.service}.json`, JSON.stringify({generatedAt: view.generatedAt, service}, null, 2) + '\n');
    for (const name of BADGES) write(`badge/${service.service}/${name}.svg`, serviceBadge(service, name));
  }
  return written;
}
