import type {ChildProcess} from 'node:child_process';
import {collect, type CliResult, type Sandbox} from './cli.js';
import {APP_TOKEN, type FakeSlack, type StoredMessage} from './slack-server.js';

/** A foggy serve process under test: its output as it comes, and its end. */
export interface Serving {
  child: ChildProcess;
  done: Promise<CliResult>;
  stderr(): string;
  stdout(): string;
  /** SIGTERM, then its result. */
  stop(): Promise<CliResult>;
}

/** Starts `foggy serve` against the loopback Slack and waits until it is connected and answering. */
export async function startServe(sandbox: Sandbox, slack: FakeSlack, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const connections = slack.socketMode.connectionsOpened;
  const child = sandbox.spawn(['serve', ...args], {env: {FOGGY_SLACK_APP_TOKEN: APP_TOKEN, ...env}});
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const done = collect(child);
  let exited: CliResult | undefined;
  void done.then((result) => (exited = result));
  const serving: Serving = {
    child,
    done,
    stderr: () => stderr,
    stdout: () => stdout,
    stop: async () => {
      child.kill('SIGTERM');
      return done;
    },
  };
  const deadline = Date.now() + 15_000;
  while (!/answering /.test(stderr + stdout) || slack.socketMode.connectionsOpened === connections || slack.socketMode.connected === 0) {
    if (exited) throw new Error(`foggy serve exited (${exited.code}) before answering:\n${stderr}${stdout}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`foggy serve did not connect:\n${stderr}${stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return serving;
}

/** The messages with a confirmation's buttons, in the channel. */
export function confirmations(slack: FakeSlack, channel = 'C0OPS00001'): StoredMessage[] {
  return slack.posts(channel).filter((message) => (message.blocks ?? []).some((block) => block.type === 'actions'));
}

/** Every block's text of a message, as one string (for matching). */
export function textOf(message: {text?: string; blocks?: unknown[]}): string {
  return `${message.text ?? ''}\n${JSON.stringify(message.blocks ?? [])}`;
}
