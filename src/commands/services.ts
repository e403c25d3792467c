import {ACTION_VERBS} from '../core/catalog/types.js';
import {printable} from '../core/text/printable.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {table} from '../cli/ui.js';

export default class Services extends FoggyCommand {
  static override summary = 'List the services in the catalog, with their checks and actions.';
  static override examples = ['<%= config.bin %> services', '<%= config.bin %> services --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(Services);
    const result = await this.foggy.services({configPath: flags.config});
    if (this.json) return this.printJson(result);
    const rows = result.services.map((service) => [
      this.ui.color.bold(printable(service.name)) + (service.protected ? this.ui.color.yellow(' (protected)') : ''),
      printable(service.checks.map((check) => `${check.type} ${check.name}`).join(', ')) || '-',
      ACTION_VERBS.filter((verb) => service.actions[verb]).join(', ') || '-',
      printable(service.description ?? ''),
    ]);
    for (const line of table(rows, ['SERVICE', 'CHECKS', 'ACTIONS', 'DESCRIPTION'])) this.ui.out(line);
  }
}
