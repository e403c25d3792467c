import type {Confirmation, ConfirmationState} from './confirmations.js';
import {ConfirmationBook} from './confirmations.js';
import {SeenTriggers} from './seen-triggers.js';

/**
 * What foggy serve remembers between deliveries: in its state directory (one server), or in the team's
 * database (coordination on), where every foggy serve of the team shares it.
 */
export interface TriggerMemory {
  /** True the first time any of these ids is offered, by any server sharing this memory. */
  firstTime(ids: string[]): Promise<boolean>;
}

export interface ConfirmationStore {
  get(id: string): Promise<Confirmation | undefined>;
  open(): Promise<Confirmation[]>;
  save(record: Confirmation): Promise<void>;
  /** Where its message is, once posted (whatever its state by then). */
  setMessage(id: string, message: {channel: string; ts: string}): Promise<void>;
  /** Closes an open confirmation: the one caller (of any server) that gets it back won. */
  close(id: string, state: Exclude<ConfirmationState, 'open'>, by: string | undefined, at: number): Promise<Confirmation | undefined>;
}

export interface ChatMemory {
  seen: TriggerMemory;
  confirmations: ConfirmationStore;
  close(): Promise<void>;
}

/** The state directory's files: one foggy serve per state directory. */
export function localMemory(dir: string): ChatMemory {
  const seen = SeenTriggers.open(dir);
  const book = ConfirmationBook.open(dir);
  return {
    seen: {firstTime: async (ids) => seen.firstTime(ids)},
    confirmations: {
      get: async (id) => book.get(id),
      open: async () => book.open(),
      save: async (record) => book.save(record),
      setMessage: async (id, message) => {
        const record = book.get(id);
        if (record) book.save({...record, message});
      },
      close: async (id, state, by, at) => book.close(id, state, by, at),
    },
    close: async () => {},
  };
}
