import {EXIT_CODES_HELP} from '../core/exit-codes.js';
import {Args} from '@oclif/core';
import {ActionCommand} from '../cli/action-command.js';

export default class Restart extends ActionCommand {
  static override summary = "Run a service's restart action.";
  static override description = `Runs the restart action from foggy.yml, with FOGGY_SERVICE and FOGGY_VERB in its environment.\n\n${EXIT_CODES_HELP}`;
  static override args = {
    service: Args.string({description: 'Service to restart.', required: true}),
  };
  static override examples = ['<%= config.bin %> restart db', '<%= config.bin %> restart db --yes --reason "db hung"'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Restart);
    await this.runVerb('restart', args.service, flags);
  }
}
