import {Flags} from '@oclif/core';
import {FoggyCommand} from '../cli/foggy-command.js';
import {printable} from '../core/text/printable.js';
import {doctorOutput} from '../cli/outputs.js';

export default class Doctor extends FoggyCommand {
  static override summary = 'Check the config, token, scopes, channel access, outbox and clock; say what to fix.';
  static override description = 'Exit 0 when everything is in order, 1 when something needs fixing.';
  static override flags = {
    channel: Flags.string({description: 'The channel to check (default: as for the verbs).'}),
  };
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(Doctor);
    const result = doctorOutput(await this.foggy.doctor({configPath: flags.config, channel: flags.channel}));
    if (this.json) {
      this.printJson(result);
    } else {
      for (const finding of result.findings) {
        this.ui.out(`${finding.ok ? this.ui.symbols.ok : this.ui.symbols.fail} ${finding.check.padEnd(8)} ${printable(finding.detail)}`);
        if (!finding.ok && finding.fix) this.ui.out(`  ${' '.repeat(9)}${this.ui.color.yellow('→')} ${printable(finding.fix)}`);
      }
    }
    this.setExitCode(result.ok ? 0 : 1);
  }
}
