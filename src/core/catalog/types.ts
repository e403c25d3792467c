/** The catalog after validation and normalisation: durations are milliseconds, names are filled in. */

export type CommandLine = string | string[];

export interface HttpCheck {
  type: 'http';
  name: string;
  url: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  insecure: boolean;
  timeoutMs: number;
  expect: {status?: number[]; body?: string; bodyPattern?: string; headers?: Record<string, string>};
}

export interface TcpCheck {
  type: 'tcp';
  name: string;
  host: string;
  port: number;
  timeoutMs: number;
}

export interface DnsCheck {
  type: 'dns';
  name: string;
  hostname: string;
  expect?: string[];
  timeoutMs: number;
}

export interface CommandCheck {
  type: 'command';
  name: string;
  command: CommandLine;
  timeoutMs: number;
}

export type Check = HttpCheck | TcpCheck | DnsCheck | CommandCheck;

export type ActionVerb = 'deploy' | 'restart';
export const ACTION_VERBS: readonly ActionVerb[] = ['deploy', 'restart'];

export interface Action {
  run: CommandLine;
  timeoutMs: number;
  env: Record<string, string>;
}

export interface Service {
  name: string;
  description?: string;
  protected: boolean;
  channel?: string;
  checks: Check[];
  actions: Partial<Record<ActionVerb, Action>>;
}

export interface Catalog {
  /** Absolute path of the foggy.yml it came from. */
  file: string;
  /** Its directory: actions and command checks run here. */
  dir: string;
  channel?: string;
  mirror: {required: boolean; budgetMs: number};
  redact: string[];
  services: Map<string, Service>;
}
