import type {RunContext} from './chat-run.js';
import type {ButtonClick, Reply, ServeEvent} from './types.js';

/** The buttons on foggy's own messages (an incident's silences, a deploy's way back): each kind answers its clicks. */
export abstract class MessageButtons {
  constructor(
    protected readonly context: RunContext,
    protected readonly stamp: () => string,
  ) {}

  protected get options() {
    return this.context.options;
  }

  abstract click(click: ButtonClick, started: number): Promise<void>;

  /** The reply to the one who clicked, and the log line once the click is dealt with. */
  protected answers(click: ButtonClick, command: string, started: number) {
    return clickAnswers(this.context, this.stamp, click, command, started);
  }
}

/**
 * What every button of foggy's messages answers with: a reply to the one who clicked (only them), and one line of
 * the server's log when the click is dealt with, saying how it ended and how long it took.
 */
export function clickAnswers(context: RunContext, stamp: () => string, click: ButtonClick, command: string, started: number) {
  const {options} = context;
  const reply: Reply = (message) => options.slack.ephemeral({channel: click.channel, user: click.person.user, responseUrl: click.responseUrl}, message);
  const base = {user: click.person.user, name: click.person.name, team: click.person.team, channel: click.channel, command};
  const done = (outcome: string, extra: Partial<ServeEvent> = {}) => options.log({at: stamp(), kind: 'click', ...base, outcome, durationMs: (options.now?.() ?? Date.now()) - started, ...extra});
  return {reply, done};
}
