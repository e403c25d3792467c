import {readSettings, settingsFile, writeSettings} from '../core/settings/settings.js';
import {FoggyCommand} from '../cli/foggy-command.js';

export default class Logout extends FoggyCommand {
  static override summary = 'Remove the stored Slack token and default channel.';
  static override examples = ['<%= config.bin %> logout'];

  async run(): Promise<void> {
    await this.parse(Logout);
    const had = Boolean(readSettings().token);
    if (had) await writeSettings(undefined);
    if (this.json) return this.printJson({ok: true, removed: had, file: settingsFile()});
    this.ui.out(had ? `Removed the stored token from ${settingsFile()}.` : 'No token was stored.');
    if (process.env.FOGGY_SLACK_TOKEN || process.env.SLACK_BOT_TOKEN) this.ui.warn('FOGGY_SLACK_TOKEN/SLACK_BOT_TOKEN is still set in this environment: unset it too.');
  }
}
