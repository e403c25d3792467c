import {EXIT_CODES_HELP} from '../cli/exit-codes.js';
import {statusOutput, type StatusOutput} from '../cli/outputs.js';
import {statusGrammar, statusRequest} from '../grammar/verbs.js';
import {renderStatusResult} from '../cli/render/verbs.js';
import {VerbCommand} from '../cli/verb-command.js';

export default class Status extends VerbCommand {
  static override summary = 'Check whether services are up.';
  static override description = 'Runs every status check of the named services (all when none is named) in parallel, each with its own timeout. A service is up when all its checks pass.' + `\n\n${EXIT_CODES_HELP}`;
  static override strict = statusGrammar.strict;
  static override args = statusGrammar.args;
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status web db', '<%= config.bin %> status web --json'];

  async run(): Promise<StatusOutput> {
    this.factory.shortRun();
    const parsed = await this.parse(Status);
    const result = await this.foggy.status(statusRequest({argv: parsed.argv as string[], flags: parsed.flags}, this.frontEnd(parsed.flags)));
    const output = statusOutput(result);
    if (this.json) this.printJson(output);
    else renderStatusResult(this.ui, result);
    if (!('dryRun' in output)) this.setExitCode(output.exitCode);
    return output;
  }
}
