import {ACTION_VERBS} from '../catalog/types.js';
import {catalogSecrets} from '../catalog/secrets.js';
import {createMasker, maskDeep} from '../mask/masker.js';
import type {AppContext} from './context.js';
import type {ServicesResult} from './results.js';

/** `foggy services`: the catalog, with its own secrets (env values, URL passwords, auth headers) masked. */
export async function listServices(app: AppContext, request: {configPath?: string}): Promise<ServicesResult> {
  const catalog = await app.catalog(request.configPath);
  const mask = createMasker({env: app.env, patterns: catalog.redact, values: catalogSecrets(catalog)});
  return maskDeep(
    {
      catalog: catalog.file,
      services: [...catalog.services.values()].map((service) => ({
        name: service.name,
        description: service.description,
        protected: service.protected,
        channel: service.channel,
        checks: service.checks.map(({type, name, timeoutMs}) => ({type, name, timeoutMs})),
        actions: Object.fromEntries(ACTION_VERBS.filter((verb) => service.actions[verb]).map((verb) => [verb, service.actions[verb]])),
      })),
    },
    mask,
  );
}
