import {EXIT_CODES_HELP} from '../cli/exit-codes.js';
import {ActionCommand, approvalOf} from '../cli/action-command.js';
import type {ActionOutput} from '../cli/outputs.js';
import {rollbackGrammar, rollbackRequest} from '../grammar/verbs.js';

export default class Rollback extends ActionCommand {
  static override summary = 'Deploy again the last good version of a service.';
  static override description =
    "Reads the team's record (the channel when connected, this machine's journal, the team's database when coordinating there) for the service's deploys: the current one is the latest, whatever its outcome; the target is the last earlier one that succeeded and was not itself rolled back. Runs the service's rollback action when foggy.yml has one, else its deploy action, with the target's ref ({ref}, FOGGY_REF) and FOGGY_ROLLBACK_OF naming the entry it undoes. Protected services ask, as deploy does, naming both refs. When there is nothing to go back to (no earlier good deploy, or one without a ref), it says what is missing and runs nothing (exit 2)." +
    `\n\n${EXIT_CODES_HELP}`;
  static override args = rollbackGrammar.args;
  static override flags = rollbackGrammar.flags;
  static override examples = ['<%= config.bin %> rollback web', '<%= config.bin %> rollback web --to v2 --reason "v3 breaks checkout"', '<%= config.bin %> rollback web --dry-run'];

  async run(): Promise<ActionOutput> {
    const parsed = await this.parse(Rollback);
    const request = {...rollbackRequest(parsed, this.frontEnd(parsed.flags)), approval: approvalOf(parsed.flags)};
    return this.render(await this.foggy.rollback(request));
  }
}
