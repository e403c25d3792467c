import type {Catalog, ChatRule, ChatVerb, Service} from '../core/catalog/types.js';

/**
 * Who may do what from chat: decided on the ids Slack sends (the user's id and team), never on a name,
 * which anyone can change. Deny by default: deploy and restart have no rule until foggy.yml gives one.
 */

export interface Person {
  /** Slack user id (U…, W…). */
  user: string;
  /** The user's own workspace (team id). */
  team: string;
}

/** The rule that applies, and where it comes from (said in a refusal). */
export interface AppliedRule {
  rule: ChatRule;
  source: string;
}

export type Decision = {allowed: true} | {allowed: false; reason: string; mayRun: string};

/** Whether a user group holds a person: looked up by the caller (usergroups.users.list), only when a rule names one. */
export type GroupMembers = (group: string, user: string) => Promise<{member: boolean} | {problem: string}>;

const DEFAULTS: Record<'status' | 'log' | 'deploy' | 'restart', ChatRule> = {status: 'everyone', log: 'everyone', deploy: [], restart: []};

/** Verbs whose rule, when foggy.yml gives none, is another verb's: whoever may restart a service may silence it, whoever may deploy it may roll it back. */
const RULE_AS: Partial<Record<ChatVerb, ChatVerb>> = {silence: 'restart', rollback: 'deploy'};

export function ruleFor(catalog: Catalog, verb: ChatVerb, service?: Service): AppliedRule {
  const own = service?.chat.allow[verb];
  if (own !== undefined) return {rule: own, source: `services.${service!.name}.chat.allow.${verb}`};
  const shared = catalog.chat.allow[verb];
  if (shared !== undefined) return {rule: shared, source: `chat.allow.${verb}`};
  const as = RULE_AS[verb];
  if (as) {
    const borrowed = ruleFor(catalog, as, service);
    return {rule: borrowed.rule, source: `${borrowed.source} (${verb} follows ${as} unless chat.allow.${verb} says otherwise)`};
  }
  return {rule: DEFAULTS[verb as keyof typeof DEFAULTS], source: `the default for ${verb}`};
}

/** A person from another workspace (a Slack Connect guest, a shared channel) is refused whatever the rules say. */
export function sameTeam(person: Person, appTeam: string): Decision {
  if (person.team === appTeam) return {allowed: true};
  return {allowed: false, reason: `you are not a member of this app's workspace (${person.team}, not ${appTeam})`, mayRun: 'members of the workspace foggy is installed in'};
}

/** Whether a rule admits the person: everyone, their own id, or a user group that holds them. */
export async function admits(rule: ChatRule, person: Person, members: GroupMembers): Promise<{admitted: boolean; problems: string[]}> {
  if (rule === 'everyone') return {admitted: true, problems: []};
  if (rule.includes(person.user)) return {admitted: true, problems: []};
  const problems: string[] = [];
  for (const id of rule.filter((entry) => entry.startsWith('S'))) {
    const group = await members(id, person.user);
    if ('problem' in group) problems.push(`user group ${id}: ${group.problem}`);
    else if (group.member) return {admitted: true, problems: []};
  }
  return {admitted: false, problems};
}

/** May this person run the verb on these services (every one of them must allow it)? */
export async function mayRun(input: {catalog: Catalog; verb: ChatVerb; services: Service[]; person: Person; appTeam: string; members: GroupMembers}): Promise<Decision> {
  const team = sameTeam(input.person, input.appTeam);
  if (!team.allowed) return team;
  const rules = input.services.length === 0 ? [ruleFor(input.catalog, input.verb)] : uniqueRules(input.services.map((service) => ruleFor(input.catalog, input.verb, service)));
  for (const applied of rules) {
    const {admitted, problems} = await admits(applied.rule, input.person, input.members);
    if (!admitted) return {allowed: false, reason: `${applied.source} does not include you${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`, mayRun: describeRule(applied.rule)};
  }
  return {allowed: true};
}

/**
 * May this person approve (or cancel) a confirmation? With approvers, one of them who is not the
 * requester; without, anyone who may run the verb on the service, the requester included (a click is
 * then what typing the service's name is at a terminal). The requester may always cancel their own.
 */
export async function mayApprove(input: {catalog: Catalog; verb: ChatVerb; service: Service; person: Person; requester: string; appTeam: string; members: GroupMembers; cancelling?: boolean}): Promise<Decision> {
  const team = sameTeam(input.person, input.appTeam);
  if (!team.allowed) return team;
  if (input.cancelling && input.person.user === input.requester) return {allowed: true};
  const approvers = input.service.chat.approvers;
  if (approvers.length === 0) return mayRun({...input, services: [input.service]});
  const source = `services.${input.service.name}.chat.approvers`;
  if (input.person.user === input.requester && !input.cancelling) {
    return {allowed: false, reason: `${source} asks for a second person: the one who asked cannot approve it`, mayRun: describeRule(approvers)};
  }
  const {admitted, problems} = await admits(approvers, input.person, input.members);
  if (admitted) return {allowed: true};
  return {allowed: false, reason: `${source} does not include you${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`, mayRun: describeRule(approvers)};
}

/**
 * Who a rule admits, as a refusal names them: people as mentions, which Slack shows by name and which notify
 * no one in an answer only the reader sees; user groups by id, since their mention would notify the group.
 */
export function describeRule(rule: ChatRule): string {
  if (rule === 'everyone') return 'everyone in the workspace';
  if (rule.length === 0) return 'nobody (foggy.yml gives no one this right)';
  const shown = rule.slice(0, 10).map((id) => (id.startsWith('S') ? `user group \`${id}\`` : `<@${id}>`));
  return `${shown.join(', ')}${rule.length > 10 ? ` and ${rule.length - 10} more` : ''}`;
}

/** Many services share the catalog's rule: it is checked once. */
function uniqueRules(rules: AppliedRule[]): AppliedRule[] {
  return [...new Map(rules.map((rule) => [rule.source, rule])).values()];
}
