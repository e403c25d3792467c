import type {RunContext} from './chat-run.js';
import type {ButtonClick, Reply, ServeEvent} from './types.js';

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
