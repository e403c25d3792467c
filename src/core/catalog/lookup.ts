import {usageError} from '../errors/foggy-error.js';
import {closest} from '../text/suggest.js';
import {ACTION_VERBS, type Action, type ActionVerb, type Catalog, type Service} from './types.js';

/** The named services, in the order given (all of them when none is named). Unknown names are usage errors. */
export function selectServices(catalog: Catalog, names: string[]): Service[] {
  if (names.length === 0) return [...catalog.services.values()];
  return [...new Set(names)].map((name) => findService(catalog, name));
}

export function findService(catalog: Catalog, name: string): Service {
  const service = catalog.services.get(name);
  if (service) return service;
  const guesses = closest(name, catalog.services.keys());
  const known = [...catalog.services.keys()].join(', ');
  throw usageError(
    `Unknown service "${name}"${guesses.length > 0 ? `; did you mean "${guesses[0]}"?` : '.'}`,
    `Services in ${catalog.file}: ${known}.`,
  );
}

export function findAction(service: Service, verb: ActionVerb): Action {
  const action = service.actions[verb];
  if (action) return action;
  const verbs = [...(service.checks.length > 0 ? ['status'] : []), ...ACTION_VERBS.filter((v) => service.actions[v])];
  throw usageError(
    `Service "${service.name}" has no ${verb} action.`,
    verbs.length > 0 ? `It has: ${verbs.join(', ')}.` : 'It defines no checks or actions.',
  );
}

/** Whether foggy.yml sets up the chat front end (rules for who may do what from Slack): foggy serve answers there. */
export function chatConfigured(catalog: Catalog): boolean {
  return Object.keys(catalog.chat.allow).length > 0 || [...catalog.services.values()].some((service) => Object.keys(service.chat.allow).length > 0 || service.chat.approvers.length > 0);
}
