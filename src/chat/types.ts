import type {Foggy} from '../core/app/foggy.js';
import type {Catalog} from '../core/catalog/types.js';
import type {Who} from '../core/entry/types.js';
import type {Person, GroupMembers} from './authorize.js';
import type {ConfirmationStore, TriggerMemory} from './memory/memory.js';
import type {ChatMessage} from './messages.js';

/** Someone in Slack, by the ids Slack sends; the name is for reading only. */
export interface ChatPerson extends Person {
  name?: string;
}

/** A command typed in Slack: after the slash command, or after a mention of the bot. */
export interface TypedCommand {
  /** The delivery's ids (Socket Mode envelope, Events API event): a second delivery of one is dropped. */
  ids: string[];
  person: ChatPerson;
  channel: string;
  /** How it was typed, for the entry's command line: "/foggy" or "@foggy". */
  prefix: string;
  text: string;
  responseUrl?: string;
}

/** A click on a confirmation's button. */
export interface Click {
  ids: string[];
  person: ChatPerson;
  action: 'approve' | 'cancel';
  confirmation: string;
  channel: string;
  responseUrl?: string;
  /** The message clicked on (its buttons): the confirmation's, as Slack says. */
  message?: {channel: string; ts: string};
}

/** A click on an incident message's silence button (posted by foggy watch). */
export interface ButtonClick {
  ids: string[];
  person: ChatPerson;
  /** The button's value, as foggy's message set it (checked: a button could be forged). */
  value: string;
  channel: string;
  responseUrl?: string;
  /** The message of the button, as Slack sent it with the click: where it is, its blocks and metadata. */
  message?: {channel: string; ts: string; text?: string; blocks?: Record<string, unknown>[]; metadata?: {event_type?: string; event_payload?: Record<string, unknown>}};
}

/** What foggy serve does in Slack besides the entries: the Web API calls of its own. */
export interface SlackSide {
  ephemeral(target: {channel: string; user: string; responseUrl?: string}, message: ChatMessage): Promise<void>;
  post(channel: string, message: ChatMessage): Promise<{channel: string; ts: string}>;
  update(target: {channel: string; ts: string}, message: ChatMessage): Promise<void>;
  /** A message's metadata as Slack has it now (an incident's state, when the click did not carry it). */
  metadataOf(target: {channel: string; ts: string}): Promise<Record<string, unknown> | undefined>;
}

/** One line of foggy serve's log per command or click. */
export interface ServeEvent {
  at: string;
  kind: 'command' | 'click' | 'duplicate' | 'expired';
  user?: string;
  name?: string;
  team?: string;
  channel?: string;
  command?: string;
  outcome: string;
  entry?: string;
  durationMs?: number;
  detail?: string;
}

export interface ChatFrontOptions {
  /** The workspace the app is installed in: people from elsewhere are refused. */
  appTeam: string;
  /** The catalog foggy serve holds (reloaded on SIGHUP). */
  catalog: () => Catalog;
  /** The use cases, as run by this person from this place. */
  foggyFor(who: Who, signal: AbortSignal): Foggy;
  slack: SlackSide;
  members: GroupMembers;
  seen: TriggerMemory;
  confirmations: ConfirmationStore;
  log(event: ServeEvent): void;
  now?: () => number;
  host: string;
  /** foggy's directories, to say which one a file-system failure (a full disk, a read-only mount) is in. */
  places: {state: string; config: string; cache: string; temp: string};
}

/** An answer to the one who asked (or clicked), seen by them alone. */
export type Reply = (message: ChatMessage) => Promise<void>;
