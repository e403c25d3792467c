import type {Catalog, Service} from '../catalog/types.js';

/**
 * Where an entry about these services goes, the same for every use case (a verb's post, log's read,
 * doctor's check): --channel, FOGGY_CHANNEL, the services' own channel (when they share one), the
 * catalog's, then the login default.
 */
export function chooseChannel(options: {flag?: string; env: NodeJS.ProcessEnv; services?: Service[]; catalog?: Catalog; loginDefault?: string}): string | undefined {
  const serviceChannels = new Set((options.services ?? []).map((service) => service.channel));
  const serviceChannel = serviceChannels.size === 1 ? [...serviceChannels][0] : undefined;
  return options.flag || options.env.FOGGY_CHANNEL || serviceChannel || options.catalog?.channel || options.loginDefault || undefined;
}
