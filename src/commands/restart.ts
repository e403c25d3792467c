import {EXIT_CODES_HELP} from '../cli/exit-codes.js';
import type {ActionDryRun, ActionResult} from '../core/app/results.js';
import {restartGrammar} from '../grammar/verbs.js';
import {ActionCommand} from '../cli/action-command.js';

export default class Restart extends ActionCommand {
  static override summary = "Run a service's restart action.";
  static override description = `Runs the restart action from foggy.yml, with FOGGY_SERVICE and FOGGY_VERB in its environment.\n\n${EXIT_CODES_HELP}`;
  static override args = restartGrammar.args;
  static override flags = restartGrammar.flags;
  static override examples = ['<%= config.bin %> restart db', '<%= config.bin %> restart db --yes --reason "db hung"'];

  async run(): Promise<ActionResult | ActionDryRun> {
    return this.runVerb('restart', await this.parse(Restart));
  }
}
