import {Chalk, type ChalkInstance} from 'chalk';
import {printableBlock} from '../core/text/printable.js';

/**
 * The one place that decides how humans are spoken to: data on stdout, everything else on stderr,
 * and no colour or spinner where they would be noise (pipes, CI logs, NO_COLOR).
 */
/** Where a command's words go: the process's streams, or a test's buffers (as the GitHub CLI's iostreams.Test()). */
export interface Streams {
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & {isTTY?: boolean};
}

export interface Output {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Ui {
  streams: Streams;
  color: ChalkInstance;
  /** Spinners and prompts make sense. */
  interactive: boolean;
  out(line?: string): void;
  note(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  spin<T>(text: string, work: () => Promise<T>): Promise<T>;
  symbols: {ok: string; fail: string; warn: string; running: string};
  /** A result for programs: indented JSON on stdout. */
  json(value: unknown): void;
  /** One JSON object per line (streams of events or entries). */
  jsonLine(value: unknown): void;
}

export function decorationsAllowed(stream: Output, env: NodeJS.ProcessEnv = process.env): boolean {
  // chalk does not honour NO_COLOR by itself (https://no-color.org: any non-empty value).
  if (env.NO_COLOR) return false;
  if (env.CI && env.CI !== 'false') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export function processStreams(): Streams {
  return {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};
}

export function createUi(env: NodeJS.ProcessEnv = process.env, streams: Streams = processStreams()): Ui {
  const {stdout, stderr} = streams;
  const stdoutFancy = decorationsAllowed(stdout, env);
  const stderrFancy = decorationsAllowed(stderr, env);
  const color = new Chalk({level: stdoutFancy ? 1 : 0});
  const errColor = new Chalk({level: stderrFancy ? 1 : 0});
  return {
    streams,
    color,
    interactive: stderrFancy,
    out: (line = '') => stdout.write(line + '\n'),
    // Notes, warnings and errors carry text from outside (Slack's error codes, file names, messages).
    note: (line) => stderr.write(errColor.dim(printableBlock(line)) + '\n'),
    warn: (line) => stderr.write(errColor.yellow(printableBlock(line)) + '\n'),
    error: (line) => stderr.write(`${errColor.red('Error:')} ${printableBlock(line)}\n`),
    async spin(text, work) {
      // A terminal that reports no width (some CI pseudo-terminals) sends ora's line wrapping into a loop.
      if (!stderrFancy || !stderr.columns) return work();
      const {default: ora} = await import('ora');
      const spinner = ora({text, stream: stderr as NodeJS.WriteStream}).start();
      try {
        return await work();
      } finally {
        spinner.stop();
      }
    },
    symbols: {ok: color.green('✔'), fail: color.red('✖'), warn: color.yellow('!'), running: color.cyan('…')},
    json: (value) => stdout.write(JSON.stringify(value, null, 2) + '\n'),
    jsonLine: (value) => stdout.write(JSON.stringify(value) + '\n'),
  };
}

/** Plain aligned columns; the widest cell sets each column. ANSI codes do not count towards width. */
export function table(rows: string[][], header?: string[]): string[] {
  const all = header ? [header, ...rows] : rows;
  // Each cell's width is measured once: a status of a thousand services is a thousand rows.
  const widths = all.map((row) => row.map((cell) => (cell.includes('\u001B') ? cell.replaceAll(/\u001B\[[0-9;]*m/g, '') : cell).length));
  const columns = all[0]?.map((_, column) => Math.max(...widths.map((row) => row[column] ?? 0))) ?? [];
  return all.map((row, index) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(columns[column] - widths[index][column])))
      .join('  ')
      .trimEnd(),
  );
}
