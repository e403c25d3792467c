import type {CommandLine} from '../actions/types.js';
import type {TlsSettings} from './http-tls.js';

/*
 * The normalised form of each kind of check, as the catalog holds it. Types only: the catalog and the kinds'
 * modules both read them here, so neither imports the other.
 */

export interface BaseCheck {
  type: string;
  name: string;
  timeoutMs: number;
}

export interface CommandCheck {
  type: 'command';
  name: string;
  command: CommandLine;
  timeoutMs: number;
}

export interface DnsCheck {
  type: 'dns';
  name: string;
  hostname: string;
  expect?: string[];
  timeoutMs: number;
}

export interface HttpCheck {
  type: 'http';
  name: string;
  url: string;
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  tls: TlsSettings;
  /** The check's own proxy URL, or 'none'; undefined: the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  proxy?: string;
  followRedirects: boolean;
  timeoutMs: number;
  expect: {status?: number[]; body?: string; bodyPattern?: string; headers?: Record<string, string>; certificateDays?: number};
}

export interface TcpCheck {
  type: 'tcp';
  name: string;
  host: string;
  port: number;
  timeoutMs: number;
}

export type Check = HttpCheck | TcpCheck | DnsCheck | CommandCheck;
export type CheckType = Check['type'];
