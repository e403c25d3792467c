import type {ChildProcess} from 'node:child_process';
import {collect, waitFor, type CliResult} from './cli.js';

/** One line of `foggy watch --json`. */
export interface WatchEvent {
  service: string;
  state: string;
  previous: string;
  because?: string;
  incident?: string;
  downMs?: number;
  reason?: string;
  quiet?: string;
}

/** A watcher as a process, its --json events collected as they come. */
export class RunningWatcher {
  readonly events: WatchEvent[] = [];
  readonly done: Promise<CliResult>;
  constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.trim()) this.events.push(JSON.parse(line));
    });
    this.done = collect(child);
  }
  seen(service: string, state: string): WatchEvent | undefined {
    return this.events.find((event) => event.service === service && event.state === state);
  }
  async until(service: string, state: string): Promise<WatchEvent> {
    await waitFor(() => Boolean(this.seen(service, state)), `${service} ${state}`, 15_000);
    return this.seen(service, state)!;
  }
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<CliResult> {
    this.child.kill(signal);
    return this.done;
  }
}

