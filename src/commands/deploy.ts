import {EXIT_CODES_HELP} from '../core/exit-codes.js';
import {Args, Flags} from '@oclif/core';
import {ActionCommand} from '../cli/action-command.js';

export default class Deploy extends ActionCommand {
  static override summary = "Run a service's deploy action.";
  static override description =
    'Runs the deploy action from foggy.yml. An argv action gets {ref} and {service} filled in; a shell-string action receives them only as FOGGY_REF, FOGGY_SERVICE and FOGGY_VERB. When the action uses {ref} (or $FOGGY_REF), --ref is required.' + `\n\n${EXIT_CODES_HELP}`;
  static override args = {
    service: Args.string({description: 'Service to deploy.', required: true}),
  };
  static override flags = {
    ref: Flags.string({description: 'What to deploy (a tag, branch, version…); {ref} in the action, FOGGY_REF in its environment.'}),
  };
  static override examples = ['<%= config.bin %> deploy web --ref v2', '<%= config.bin %> deploy web --ref v2 --confirm web --json --reason "hotfix for #123"', '<%= config.bin %> deploy web --ref v2 --dry-run'];

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Deploy);
    await this.runVerb('deploy', args.service, flags, flags.ref);
  }
}
