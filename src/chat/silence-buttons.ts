import {findService} from '../core/catalog/lookup.js';
import type {Service} from '../core/catalog/types.js';
import type {SilenceButtonValue} from '../core/mirror/incident-message.js';
import {formatSpan} from '../core/text/duration.js';
import {mayRun} from './authorize.js';
import {entryMetadataOf} from './entry-metadata.js';
import {ChatRun} from './chat-run.js';
import {markupAnswer, plainAnswer} from './messages.js';
import {MessageButtons} from './button-click.js';
import type {ButtonClick, TypedCommand} from './types.js';
import {escapeClipped} from '../core/mirror/slack-text.js';

/**
 * "Silence 1h" and "Silence 4h" on an incident's message: a click silences its service, as `/foggy silence`
 * would, once the clicker is authorised by the rule for silence (re-read at the click). A button silences once:
 * a second click, by anyone, is told who silenced it and until when. A click on an incident that is over
 * silences nothing.
 */
export class SilenceButtons extends MessageButtons {
  override async click(click: ButtonClick, started: number): Promise<void> {
    const value = parseValue(click.value);
    const {reply, done} = this.answers(click, value ? `silence ${value.service} ${formatSpan(value.forMs)} (button)` : 'silence (button)', started);
    if (!value) {
      await reply(plainAnswer('This button is not one foggy watch posted; nothing was silenced.'));
      return done('bad input');
    }
    const catalog = this.options.catalog();
    let service: Service;
    try {
      service = findService(catalog, value.service);
    } catch (error) {
      await reply(plainAnswer(`${(error as Error).message} (foggy.yml changed since the incident); nothing was silenced.`));
      return done('error', {detail: (error as Error).message});
    }
    const run = new ChatRun(this.context, {ids: click.ids, person: click.person, channel: click.channel, prefix: '', text: '', responseUrl: click.responseUrl} satisfies TypedCommand, `silence ${service.name} ${formatSpan(value.forMs)} (from incident ${value.incident})`, reply);
    const decision = await mayRun({catalog, verb: 'silence', services: [service], person: click.person, appTeam: this.options.appTeam, members: this.options.members});
    if (!decision.allowed) {
      const entry = await run.refuse('silence', [service], decision, undefined, `silence from the alert refused: ${decision.reason}`);
      return done('refused', {entry, detail: decision.reason});
    }
    if (!(await this.stillOpen(click))) {
      await reply(markupAnswer(`The incident of \`${escapeClipped(service.name, 80)}\` is over: nothing was silenced.`));
      return done('incident over');
    }
    const foggy = this.options.foggyFor({user: click.person.user, host: this.options.host, slackUser: click.person.user, ...(click.person.name ? {name: click.person.name} : {})}, this.context.signal);
    const already = (await foggy.silences()).silences.find((silence) => silence.incident === value.incident && silence.services.includes(service.name));
    if (already) {
      await reply(markupAnswer(`Already silenced by ${escapeClipped(already.who, 80)} until <!date^${Math.floor(Date.parse(already.until) / 1000)}^{time}|${already.until.slice(11, 16)} UTC>: nothing changed.`));
      return done('already silenced');
    }
    try {
      const result = await run.silenceFromAlert(service.name, value.forMs, value.incident);
      if (click.message) await this.markSilenced(click, result.silence.who, result.silence.until);
      return done(result.ok ? 'silenced' : 'failed', {entry: result.entry});
    } catch (error) {
      const failure = await this.context.answerFailure(error, '/foggy', reply);
      return done(failure.kind === 'refused' ? 'refused' : 'error', {detail: failure.message});
    }
  }

  /** Whether the incident is still open: from the message Slack sent with the click, else as Slack has it now. */
  private async stillOpen(click: ButtonClick): Promise<boolean> {
    let payload = click.message?.metadata?.event_payload;
    if (!payload && click.message) payload = await this.options.slack.metadataOf(click.message).catch(() => undefined);
    if (!payload) return true;
    return payload.outcome === 'running';
  }

  /** The message says who silenced it, until when, and offers its buttons no more (the watcher's next edit agrees). */
  private async markSilenced(click: ButtonClick, who: string, until: string): Promise<void> {
    const message = click.message!;
    const blocks = (message.blocks ?? []).filter((block) => block.type !== 'actions');
    blocks.push({type: 'context', elements: [{type: 'mrkdwn', text: `:no_bell: silenced by <@${click.person.user}> until <!date^${Math.floor(Date.parse(until) / 1000)}^{time}|${until.slice(11, 16)} UTC>`}]});
    try {
      const metadata = await entryMetadataOf(this.options.slack, message);
      await this.options.slack.update(message, {text: `${message.text ?? ''} (silenced by ${escapeClipped(who, 80)} until ${until.slice(11, 16)} UTC)`.trim(), blocks, ...(metadata ? {metadata} : {})});
    } catch (error) {
      this.options.log({at: this.stamp(), kind: 'click', outcome: 'could not update the incident message', detail: (error as Error).message});
    }
  }
}

function parseValue(text: string): SilenceButtonValue | undefined {
  try {
    const value = JSON.parse(text) as Partial<SilenceButtonValue>;
    if (typeof value.incident === 'string' && /^[\w-]{1,64}$/.test(value.incident) && typeof value.service === 'string' && typeof value.forMs === 'number' && value.forMs >= 60_000 && value.forMs <= 7 * 86_400_000) {
      return {incident: value.incident, service: value.service, forMs: value.forMs};
    }
  } catch {
    // Not JSON: not foggy's.
  }
  return undefined;
}
