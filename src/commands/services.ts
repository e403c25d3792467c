import {loadCatalog} from '../core/catalog/load.js';
import {locateCatalog} from '../core/catalog/locate.js';
import {ACTION_VERBS} from '../core/catalog/types.js';
import {catalogSecrets, createMasker, maskDeep} from '../core/mask/masker.js';
import {printable} from '../core/printable.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table} from '../cli/ui.js';

export default class Services extends FoggyCommand {
  static override summary = 'List the services in the catalog, with their checks and actions.';
  static override examples = ['<%= config.bin %> services', '<%= config.bin %> services --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(Services);
    const catalog = await loadCatalog(locateCatalog({explicit: flags.config}));
    const services = [...catalog.services.values()];
    // The catalog's own secrets (env values, URL passwords, auth headers) are shown masked, as everywhere.
    const mask = createMasker({env: process.env, patterns: catalog.redact, values: catalogSecrets(catalog)});

    if (this.json) {
      return this.printJson(maskDeep({
        catalog: catalog.file,
        services: services.map((service) => ({
          name: service.name,
          description: service.description,
          protected: service.protected,
          channel: service.channel,
          checks: service.checks.map(({type, name, timeoutMs}) => ({type, name, timeoutMs})),
          actions: Object.fromEntries(ACTION_VERBS.filter((verb) => service.actions[verb]).map((verb) => [verb, service.actions[verb]])),
        })),
      }, mask));
    }

    const rows = services.map((service) => [
      this.ui.color.bold(service.name) + (service.protected ? this.ui.color.yellow(' (protected)') : ''),
      printable(mask(service.checks.map((check) => `${check.type} ${check.name}`).join(', '))) || '-',
      ACTION_VERBS.filter((verb) => service.actions[verb]).join(', ') || '-',
      printable(mask(service.description ?? '')),
    ]);
    for (const line of table(rows, ['SERVICE', 'CHECKS', 'ACTIONS', 'DESCRIPTION'])) this.ui.out(line);
  }
}
