import {sleep} from '../platform/sleep.js';
import {openDatabase, type Database} from './database.js';
import {currentHolder, newOwner, release, renew, tryAcquire, type LeaseHolder} from './leases.js';

export type Role = 'leader' | 'standby';

export interface LeadershipOptions {
  target: {url: string; shown: string};
  /** The lease's name: one leader per name and database. */
  name: string;
  holder: LeaseHolder;
  ttlMs: number;
  signal: AbortSignal;
  /** Said on every change of role (and when the database goes away or comes back). */
  onChange: (role: Role, detail: string) => void;
}

/**
 * One active process among several (the watchers of a team): the leader holds a lease and renews it every
 * third of its TTL; the others try to take it at the same pace, and do when it lapses, so a dead leader is
 * replaced within about its TTL. A leader that cannot renew steps down before its lease lapses: never two.
 */
export class Leadership {
  private db?: Database;
  private readonly owner = newOwner();
  private token?: number;
  private heldUntil = 0;
  private role: Role = 'standby';
  private reported?: string;

  constructor(private readonly options: LeadershipOptions) {}

  /** Leading, and sure of it: the lease renewed recently enough that nobody else can have taken it. */
  get leading(): boolean {
    return this.role === 'leader' && Date.now() < this.heldUntil;
  }

  /** Tries now, then every third of the TTL until the signal aborts; resolves at once when it cannot connect. */
  async run(): Promise<void> {
    const {signal, ttlMs} = this.options;
    while (!signal.aborted) {
      await this.tick();
      await sleep(Math.max(100, Math.floor(ttlMs / 3)), signal);
    }
    await this.stepDown();
  }

  /** Resolves after the first attempt to lead, whichever way it went. */
  async untilSettled(): Promise<void> {
    while (this.reported === undefined && !this.options.signal.aborted) await sleep(20, this.options.signal);
  }

  /** Resolves once this process leads (or the signal aborts). */
  async untilLeading(): Promise<void> {
    while (!this.leading && !this.options.signal.aborted) await sleep(50, this.options.signal);
  }

  /** Who leads now, as far as the database says. */
  async leader(): Promise<LeaseHolder | undefined> {
    return (await currentHolder(await this.connection(), this.options.name)).holder;
  }

  private async connection(): Promise<Database> {
    if (!this.db || this.db.broken) {
      await this.db?.close();
      this.db = undefined;
      this.db = await openDatabase(this.options.target, {connectTimeoutMs: Math.max(1000, Math.floor(this.options.ttlMs / 3))});
    }
    return this.db;
  }

  private async tick(): Promise<void> {
    const {name, ttlMs, holder} = this.options;
    const asked = Date.now();
    try {
      const db = await this.connection();
      if (this.role === 'leader' && this.token !== undefined) {
        if (await renew(db, {name, owner: this.owner, token: this.token, ttlMs})) {
          this.heldUntil = asked + ttlMs;
          return;
        }
        this.become('standby', 'another watcher took over');
      }
      const grant = await tryAcquire(db, {name, owner: this.owner, holder, ttlMs});
      if (grant.acquired) {
        this.token = grant.token;
        this.heldUntil = asked + ttlMs;
        this.become('leader', `leading (the lease "${name}" in ${this.options.target.shown})`);
      } else {
        const who = grant.holder ? `${grant.holder.user}@${grant.holder.host} (pid ${grant.holder.pid})` : 'another process';
        this.become('standby', `standing by: ${who} is the active watcher`);
      }
    } catch (error) {
      // The database is away: a leader keeps leading only while its lease surely holds; nobody else can lead meanwhile either.
      if (this.role === 'leader' && Date.now() >= this.heldUntil) this.become('standby', `stepped down: ${(error as Error).message}`);
      else if (this.role === 'standby') this.become('standby', `standing by: ${(error as Error).message}`);
    }
  }

  private become(role: Role, detail: string): void {
    this.role = role;
    if (role === 'standby') this.token = undefined;
    if (this.reported === detail) return;
    this.reported = detail;
    this.options.onChange(role, detail);
  }

  /** Leaving: the lease released, so a stand-by takes over at once rather than after the TTL. */
  private async stepDown(): Promise<void> {
    try {
      if (this.role === 'leader' && this.token !== undefined && this.db && !this.db.broken) await release(this.db, {name: this.options.name, owner: this.owner, token: this.token});
    } catch {
      // It lapses by itself.
    } finally {
      this.role = 'standby';
      await this.db?.close();
    }
  }
}
