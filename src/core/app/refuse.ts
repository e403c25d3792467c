import {findService} from '../catalog/lookup.js';
import type {Verb} from '../entry/types.js';
import type {AppContext, VerbOptions} from './context.js';

export interface RefusalRequest extends VerbOptions {
  verb: Exclude<Verb, 'incident'>;
  services: string[];
  ref?: string;
  /** Why it was refused, in the front end's words: the entry's summary. */
  because: string;
}

export interface RefusalResult {
  entry: string;
}

/**
 * A request a front end refused before it reached its use case (a person not allowed, a confirmation
 * cancelled or expired): recorded like a declined prompt, an entry with outcome refused, journaled and
 * mirrored, so the channel sees what was asked and why it did not run.
 */
export async function recordRefusal(app: AppContext, request: RefusalRequest): Promise<RefusalResult> {
  const session = await app.session(request);
  const services = request.services.map((name) => findService(session.catalog, name));
  const args: Record<string, string> = request.ref === undefined ? {} : {ref: request.ref};
  const entry = session.entryFor(services, {verb: request.verb, args, reason: request.reason, commandLine: request.commandLine, where: request.where, who: app.deps.who});
  const refused = await session.recorder.refuse(entry, request.because);
  return {entry: refused.id};
}
