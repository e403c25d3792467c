import type {Service} from '../catalog/types.js';

/**
 * How someone said yes to a deploy or restart, whichever front end it came through:
 * - any: yes to whatever service the request names (a shell's --yes);
 * - named: yes to this service only; a request for another one is refused (a script's --confirm SERVICE);
 * - typed: the service's name typed back when asked;
 * - click: a click on a confirmation in chat, by the person whose Slack id `by` is.
 */
export type Approval = {how: 'any'} | {how: 'named'; service: string} | {how: 'typed'} | {how: 'click'; by: string};

/** Where a request comes from: the shell (a terminal, a CI job) or chat, whose rules may ask for a second person. */
export type Origin = 'shell' | 'chat';

/**
 * What a request needs before it runs: nothing; a confirmation (a protected service); or a second person's
 * (a service whose chat rules name approvers, asked from chat).
 */
export type ApprovalNeeded = 'none' | 'confirmation' | 'second person';

export function approvalNeeded(service: Service, origin: Origin): ApprovalNeeded {
  if (origin === 'chat' && service.chat.approvers.length > 0) return 'second person';
  return service.protected ? 'confirmation' : 'none';
}

export type ApprovalDecision =
  | {state: 'not needed'}
  | {state: 'given'; by?: string}
  /** Nobody said yes yet: the front end asks (the shell's prompt, chat's buttons). */
  | {state: 'ask'}
  /** A yes for another service (`given`): refused, nothing runs. */
  | {state: 'mismatch'; given: string};

/** The one decision: whether what was said (if anything) lets this service's action run. */
export function decideApproval(service: Service, origin: Origin, approval?: Approval): ApprovalDecision {
  const needed = approvalNeeded(service, origin);
  if (needed === 'none') return {state: 'not needed'};
  if (approval === undefined) return {state: 'ask'};
  switch (approval.how) {
    case 'click': {
      return {state: 'given', by: approval.by};
    }
    case 'named': {
      if (approval.service !== service.name) return {state: 'mismatch', given: approval.service};
      return needed === 'second person' ? {state: 'ask'} : {state: 'given'};
    }
    default: {
      // A second person is a click by someone else: nothing the requester types or passes stands for it.
      return needed === 'second person' ? {state: 'ask'} : {state: 'given'};
    }
  }
}
