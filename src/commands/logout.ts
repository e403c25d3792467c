import {FoggyCommand} from '../cli/foggy-command.js';

export default class Logout extends FoggyCommand {
  static override summary = 'Remove the stored Slack token, default channel and Slack identity.';
  static override examples = ['<%= config.bin %> logout'];

  async run(): Promise<void> {
    await this.parse(Logout);
    const result = await this.foggy.logout();
    if (this.json) return this.printJson(result);
    this.ui.out(result.removed ? `Removed the stored token from ${result.file}.` : 'No token was stored.');
    if (this.factory.env.FOGGY_SLACK_TOKEN || this.factory.env.SLACK_BOT_TOKEN) this.ui.warn('FOGGY_SLACK_TOKEN/SLACK_BOT_TOKEN is still set in this environment: unset it too.');
  }
}
