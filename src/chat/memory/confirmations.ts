import {join} from 'node:path';
import type {ActionVerb} from '../../core/catalog/types.js';
import {JsonLines} from './json-lines.js';

export type ConfirmationState = 'open' | 'approved' | 'cancelled' | 'expired';

/** A deploy, restart or rollback from chat waiting for its click: everything needed to run it once approved. */
export interface Confirmation {
  id: string;
  state: ConfirmationState;
  verb: ActionVerb;
  service: string;
  ref?: string;
  /** A rollback: the deploy it undoes and the one it goes back to (entry ids), as the requester saw them. */
  rollback?: {of: string; to: string; fromRef?: string};
  reason?: string;
  waitMs: number;
  requester: {user: string; team: string; name?: string};
  /** What was typed, as the entry shows it. */
  commandLine: string;
  /** Where it was typed. */
  typedIn: {channel: string; team: string};
  /** The channel its entry goes to (undefined: the catalog's choice). */
  entryChannel?: string;
  /** The message with the buttons. */
  message?: {channel: string; ts: string};
  createdAt: number;
  expiresAt: number;
  /** Who closed it (approved or cancelled) and when. */
  closedBy?: string;
  closedAt?: number;
}

/** Closed confirmations are kept this long, so a late click is told what happened rather than "unknown". */
const CLOSED_KEPT_MS = 24 * 60 * 60_000;

/**
 * The confirmations foggy serve has posted, on disk: a click after a restart of foggy serve still finds its
 * confirmation, and one approved before the restart cannot be approved again.
 */
export class ConfirmationBook {
  private readonly all = new Map<string, Confirmation>();
  private readonly log: JsonLines<Confirmation>;

  private constructor(dir: string) {
    this.log = new JsonLines<Confirmation>(join(dir, 'confirmations.jsonl'));
  }

  private saves = 0;

  static open(dir: string, now: number = Date.now()): ConfirmationBook {
    const book = new ConfirmationBook(dir);
    for (const record of book.log.read()) book.all.set(record.id, record);
    book.forgetOld(now);
    return book;
  }

  /** Closed ones past keeping leave memory and the file. */
  private forgetOld(now: number): void {
    for (const [id, record] of this.all) {
      if (record.state !== 'open' && (record.closedAt ?? record.createdAt) < now - CLOSED_KEPT_MS) this.all.delete(id);
    }
    this.log.rewrite(this.all.values());
    this.saves = 0;
  }

  get(id: string): Confirmation | undefined {
    return this.all.get(id);
  }

  open(): Confirmation[] {
    return [...this.all.values()].filter((record) => record.state === 'open');
  }

  save(record: Confirmation): void {
    this.all.set(record.id, record);
    this.log.append(record);
    if (++this.saves > 2 * this.all.size + 1000) this.forgetOld(record.closedAt ?? record.createdAt);
  }

  /**
   * Closes an open confirmation: the one caller that gets it back won; everyone after finds it closed.
   * Synchronous, so two clicks handled at once cannot both win.
   */
  close(id: string, state: Exclude<ConfirmationState, 'open'>, by: string | undefined, at: number): Confirmation | undefined {
    const record = this.all.get(id);
    if (!record || record.state !== 'open') return undefined;
    const closed: Confirmation = {...record, state, closedBy: by, closedAt: at};
    this.save(closed);
    return closed;
  }
}
