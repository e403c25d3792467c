import {exitCodeForOutcome} from '../cli/exit-codes.js';
import {FoggyCommand} from '../cli/foggy-command.js';
import {serveLogLine, type ServeLogLine} from '../cli/render/serve.js';
import {durationFlag} from '../grammar/duration-flag.js';

const DEFAULT_GRACE_MS = 60_000;

export default class Serve extends FoggyCommand {
  static override summary = 'Answer /foggy and mentions in Slack: the same verbs, the same record, per-person rules.';
  static override description = `Connects to Slack with Socket Mode (no public URL) and answers the slash command and mentions of the bot: status, deploy, restart, log and help, with the same words and options as this CLI. Each command is an entry like a shell's, recorded in the journal and posted to the channel. Who may run what is in foggy.yml (chat: allow: …; deny by default for deploy and restart); a protected service, or one with approvers, asks for a click on a confirmation first.

Needs FOGGY_SLACK_TOKEN (the bot token, xoxb-…) and FOGGY_SLACK_APP_TOKEN (the app-level token, xapp-…). Logs one line per command on stderr (with --json, one JSON object per line on stdout). SIGHUP reloads foggy.yml; SIGTERM or SIGINT stops taking commands, lets running ones finish within --grace, interrupts the rest (recorded as interrupted) and exits 0. One foggy serve per state directory: a second exits 3.`;
  static override flags = {
    grace: durationFlag({description: 'On SIGTERM or SIGINT, how long running commands may take to finish before they are interrupted (default 60s).'}),
  };
  static override examples = ['FOGGY_SLACK_TOKEN=xoxb-… FOGGY_SLACK_APP_TOKEN=xapp-… <%= config.bin %> serve', '<%= config.bin %> serve --config /etc/foggy/foggy.yml --json'];

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve);
    const graceMs = flags.grace ?? DEFAULT_GRACE_MS;
    const log = (event: ServeLogLine) => (this.json ? this.ui.jsonLine(event) : this.ui.streams.stderr.write(serveLogLine(event) + '\n'));
    // Loaded here: Bolt and the chat front end are foggy serve's alone.
    const {ChatServer} = await import('../chat/server.js');
    const server = new ChatServer({env: this.factory.env, cwd: this.factory.cwd(), configPath: flags.config, backgroundFlush: this.factory.backgroundFlush, exitCodeOf: exitCodeForOutcome, log});
    await server.start();
    await new Promise<void>((resolve) => {
      let signals = 0;
      const stop = () => {
        signals += 1;
        // A second signal: no more grace (what runs is interrupted and recorded); a third: out at once.
        if (signals === 2) server.hurry();
        if (signals >= 3) process.exit(130);
        if (signals === 1) void server.stop(graceMs).then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      process.on('SIGHUP', () => void server.reload());
    });
  }
}
