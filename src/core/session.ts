import {loadCatalog} from './catalog/load.js';
import {locateCatalog} from './catalog/locate.js';
import type {Catalog} from './catalog/types.js';
import {Journal} from './journal/journal.js';
import {stateDir} from './paths.js';
import {journalOnly, Recorder, type Mirror} from './recorder.js';

export interface SessionOptions {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** One-line notes for the user (stderr). */
  note: (line: string) => void;
}

export interface Session {
  catalog: Catalog;
  journal: Journal;
  mirror: Mirror;
  recorder: Recorder;
  mask: (text: string) => string;
}

/** Everything a verb needs, wired once: catalog, journal, mirror, and the recorder that ties them. */
export function openSession(options: SessionOptions): Session {
  const env = options.env ?? process.env;
  const catalog = loadCatalog(locateCatalog({explicit: options.configPath, env}));
  const journal = new Journal(stateDir(env));
  const mask = (text: string) => text;
  const mirror = journalOnly;
  const recorder = new Recorder({journal, mirror, mask, signal: options.signal});
  return {catalog, journal, mirror, recorder, mask};
}
