import {Flags} from '@oclif/core';
import {usageError} from '../core/errors/foggy-error.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {readSecret} from '../cli/prompt.js';

export default class Login extends FoggyCommand {
  static override summary = 'Store a Slack bot token, a default channel and who you are in Slack, after checking them with Slack.';
  static override description = `The token is verified with auth.test and the channel with conversations.info, then stored in your config directory ($XDG_CONFIG_HOME/foggy/config.json) with file mode 0600. FOGGY_SLACK_TOKEN and SLACK_BOT_TOKEN, when set, take precedence over the stored token.

foggy also finds your Slack user (users.lookupByEmail with your git e-mail, or --email; it needs the users:read.email scope), or takes it from --slack-user. Entries you run from a shell then name you in the channel. In CI the CI's actor is named instead.

Pass the token on stdin (--with-token) in scripts; on a terminal foggy asks for it without echoing it.`;
  static override flags = {
    'with-token': Flags.boolean({description: 'Read the token from standard input.', default: false}),
    channel: Flags.string({description: 'Default channel for entries (#name or id).'}),
    'slack-user': Flags.string({description: 'Your Slack user id (U…), instead of looking it up.', exclusive: ['email', 'no-identity']}),
    email: Flags.string({description: 'Find your Slack user by this e-mail address (default: git config user.email).', exclusive: ['no-identity']}),
    'no-identity': Flags.boolean({description: 'Do not look up or store who you are in Slack.', default: false}),
  };
  static override examples = [
    '<%= config.bin %> login --channel "#ops"',
    'echo "$SLACK_BOT_TOKEN" | <%= config.bin %> login --with-token --channel "#ops"',
    '<%= config.bin %> login --channel "#ops" --slack-user U012AB3CD',
  ];

  async run(): Promise<void> {
    const {flags} = await this.parse(Login);
    let token: string;
    const {stdin} = this.ui.streams;
    if (flags['with-token'] || !stdin.isTTY) {
      const chunks: Buffer[] = [];
      for await (const chunk of stdin) chunks.push(chunk as Buffer);
      token = Buffer.concat(chunks).toString('utf8').trim();
    } else {
      token = await readSecret('Slack bot token (xoxb-…): ', this.ui.streams);
    }
    if (!token) throw usageError('No token given.', 'Create the Slack app from slack/manifest.yml, install it, and copy its Bot User OAuth Token.');

    const result = await this.foggy.login({token, channel: flags.channel, slackUser: flags['slack-user'], email: flags.email, noIdentity: flags['no-identity']});
    if (this.json) return this.printJson(result);
    this.ui.out(`Logged in to ${result.team} as ${result.user}${result.channel ? `; default channel ${result.channel}` : ''}${result.slackUser ? `; you are ${result.slackUser} in Slack` : ''}.`);
    this.ui.note(`Token stored in ${result.file} (mode 0600).`);
    if (this.factory.env.FOGGY_SLACK_TOKEN || this.factory.env.SLACK_BOT_TOKEN) this.ui.warn('Note: a token in FOGGY_SLACK_TOKEN/SLACK_BOT_TOKEN takes precedence over the stored one.');
  }
}
