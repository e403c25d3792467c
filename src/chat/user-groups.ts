import type {GroupMembers} from './authorize.js';

/** Slack's user-group calls are Tier 2 (about 20 a minute): members are kept for a while. */
export const GROUP_TTL_MS = 60_000;
/** Someone just added to a group is looked up again, but not more often than this per group. */
export const GROUP_REFRESH_ON_MISS_MS = 10_000;

const PROBLEMS: Record<string, string> = {
  missing_scope: 'foggy cannot read user groups: the app needs the usergroups:read scope (reinstall it from slack/manifest.yml)',
  plan_upgrade_required: 'user groups need a paid Slack plan; name people (U…) in foggy.yml instead',
  no_such_subteam: 'no such user group in this workspace',
  subteam_not_found: 'no such user group in this workspace',
};

/**
 * User-group members for authorisation: cached, refreshed when stale or when someone is not (yet) in the
 * cached list, and one lookup in flight per group however many commands ask at once.
 */
export class UserGroups {
  private readonly cache = new Map<string, {members: Set<string>; at: number}>();
  private readonly inFlight = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly list: (group: string) => Promise<string[]>,
    private readonly now: () => number = Date.now,
  ) {}

  readonly members: GroupMembers = async (group, user) => {
    try {
      let cached = this.cache.get(group);
      const age = cached ? this.now() - cached.at : Infinity;
      if (!cached || age > GROUP_TTL_MS || (!cached.members.has(user) && age > GROUP_REFRESH_ON_MISS_MS)) {
        cached = {members: await this.fetch(group), at: this.now()};
        this.cache.set(group, cached);
      }
      return {member: cached.members.has(user)};
    } catch (error) {
      const code = (error as {data?: {error?: string}}).data?.error;
      return {problem: (code && PROBLEMS[code]) ?? `could not read its members (${code ?? (error as Error).message})`};
    }
  };

  private fetch(group: string): Promise<Set<string>> {
    let pending = this.inFlight.get(group);
    if (!pending) {
      pending = this.list(group)
        .then((users) => new Set(users))
        .finally(() => this.inFlight.delete(group));
      this.inFlight.set(group, pending);
    }
    return pending;
  }
}
