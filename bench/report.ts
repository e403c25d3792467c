import {existsSync, readFileSync, writeFileSync} from 'node:fs';

const HEADER = `# Benchmarks

Startup, mirror overhead and memory of foggy, measured side by side with bare node and an empty oclif CLI.
Each section below says which command wrote it; re-running that command replaces only its own section.
`;

/** Replaces one marked section of BENCHMARKS.md (appending it when new), leaving the others as they are. */
export function writeSection(file: string, name: string, content: string): void {
  const start = `<!-- section: ${name} -->`;
  const end = `<!-- end: ${name} -->`;
  const block = `${start}\n${content.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
