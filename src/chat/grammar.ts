import {Parser} from '@oclif/core';
import {closest} from '../core/text/suggest.js';
import {deployGrammar, isDuration, logGrammar, restartGrammar, rollbackGrammar, silenceGrammar, statusGrammar, withWaitDefault, type ParsedSilence, type ParsedVerb} from '../grammar/verbs.js';
import {parseProblemLine, unknownFlag} from '../grammar/parse-errors.js';
import {fromChat} from '../grammar/shell-flags.js';
import {chatWords} from './words.js';

/**
 * A command typed in chat, parsed by the verbs' own grammar (src/grammar): the same words and flags as the
 * CLI, minus the shell's own options. What is not valid comes back as a problem to answer, never a guess.
 */
export const CHAT_GRAMMARS = {status: statusGrammar, deploy: deployGrammar, restart: restartGrammar, rollback: rollbackGrammar, log: logGrammar, silence: silenceGrammar};
export type ChatCommandVerb = keyof typeof CHAT_GRAMMARS;

export type ChatCommand =
  | {verb: 'help'; topic?: ChatCommandVerb}
  | {verb: 'status'; parsed: {argv: string[]; flags: ParsedVerb}}
  | {verb: 'deploy' | 'restart'; parsed: {args: {service: string}; flags: ParsedVerb & {ref?: string; wait?: number}}}
  | {verb: 'rollback'; parsed: {args: {service: string}; flags: ParsedVerb & {to?: string; wait?: number}}}
  | {verb: 'log'; parsed: {args: {service?: string}; flags: {limit: number; verb?: string; outcome?: string; who?: string; since?: number}}}
  | {verb: 'silence'; parsed: ParsedSilence};

export type ChatParse = {ok: true; command: ChatCommand} | {ok: false; problem: string; hint?: string};

export async function parseChatCommand(text: string): Promise<ChatParse> {
  const split = chatWords(text);
  if (!split.ok) return {ok: false, problem: split.problem};
  const [first, ...rest] = split.words;
  if (first === undefined) return {ok: true, command: {verb: 'help'}};
  const verb = first.toLowerCase();
  if (verb === 'help' || verb === '--help' || verb === '-h') {
    const topic = rest[0]?.toLowerCase();
    if (topic === undefined) return {ok: true, command: {verb: 'help'}};
    if (topic in CHAT_GRAMMARS) return {ok: true, command: {verb: 'help', topic: topic as ChatCommandVerb}};
    return unknownVerb(rest[0]);
  }
  if (!(verb in CHAT_GRAMMARS)) return unknownVerb(first);
  if (rest.includes('--help') || rest.includes('-h')) return {ok: true, command: {verb: 'help', topic: verb as ChatCommandVerb}};
  const grammar = CHAT_GRAMMARS[verb as ChatCommandVerb] as Parameters<typeof Parser.parse>[1];
  const argv = verb === 'deploy' || verb === 'restart' || verb === 'rollback' ? withWaitDefault(rest) : verb === 'silence' ? silenceWords(rest) : rest;
  try {
    const parsed = await Parser.parse(argv, grammar);
    return {ok: true, command: {verb, parsed: parsed as never} as ChatCommand};
  } catch (error) {
    return parseProblem(verb as ChatCommandVerb, (error as Error).message);
  }
}

function unknownVerb(word: string): ChatParse {
  const guess = closest(word.toLowerCase(), [...Object.keys(CHAT_GRAMMARS), 'help'])[0];
  return {ok: false, problem: `Unknown command "${word}"${guess ? `; did you mean "${guess}"?` : '.'}`, hint: 'Try `/foggy help`.'};
}

/** oclif's words for a parse failure, as one line for chat; a shell-only option says what to do instead. */
function parseProblem(verb: ChatCommandVerb, message: string): ChatParse {
  const unknown = unknownFlag(message);
  const instead = unknown && fromChat(unknown.name);
  if (unknown && instead) return {ok: false, problem: `${unknown.dashes}${unknown.name} is not available from chat. ${instead}`};
  return {ok: false, problem: parseProblemLine(message), hint: `Try \`/foggy help ${verb}\`.`};
}

/**
 * Chat's short form of a silence, as people type it in a channel: `silence web db 1h db migration` is the
 * services, then how long, then why (`--for` and `--reason` as in a shell work too).
 */
export function silenceWords(words: string[]): string[] {
  if (words.some((word) => word.startsWith('-'))) return words;
  const at = words.findIndex((word) => isDuration(word));
  if (at === -1) return words;
  const reason = words.slice(at + 1).join(' ');
  return [...words.slice(0, at), '--for', words[at], ...(reason ? ['--reason', reason] : [])];
}

