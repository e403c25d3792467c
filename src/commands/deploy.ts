import {EXIT_CODES_HELP} from '../cli/exit-codes.js';
import type {ActionDryRun, ActionResult} from '../core/app/results.js';
import {deployGrammar} from '../grammar/verbs.js';
import {ActionCommand} from '../cli/action-command.js';

export default class Deploy extends ActionCommand {
  static override summary = "Run a service's deploy action.";
  static override description =
    'Runs the deploy action from foggy.yml. An argv action gets {ref} and {service} filled in; a shell-string action receives them only as FOGGY_REF, FOGGY_SERVICE and FOGGY_VERB. When the action uses {ref} (or $FOGGY_REF), --ref is required.' + `\n\n${EXIT_CODES_HELP}`;
  static override args = deployGrammar.args;
  static override flags = deployGrammar.flags;
  static override examples = ['<%= config.bin %> deploy web --ref v2', '<%= config.bin %> deploy web --ref v2 --confirm web --json --reason "hotfix for #123"', '<%= config.bin %> deploy web --ref v2 --dry-run'];

  async run(): Promise<ActionResult | ActionDryRun> {
    return this.runVerb('deploy', await this.parse(Deploy));
  }
}
