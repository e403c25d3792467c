import {Args} from '@oclif/core';
import {ActionCommand} from '../cli/action-command.js';

export default class Restart extends ActionCommand {
  static override summary = "Run a service's restart action.";
  static override args = {
    service: Args.string({description: 'Service to restart.', required: true}),
  };
  static override examples = ['<%= config.bin %> restart db', '<%= config.bin %> restart db --yes --reason "db hung"'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Restart);
    await this.runVerb('restart', args.service, flags);
  }
}
