#!/usr/bin/env node
// Checked before anything is imported: on an old Node the imports themselves would fail with a stack trace.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(`foggy needs Node.js 22.19 or newer; this is ${process.version}. Install a current Node.js (https://nodejs.org) and try again.\n`);
  process.exit(2);
}

// Cache compiled code between runs: startup is a budget.
const {enableCompileCache} = await import('node:module');
enableCompileCache?.();

const {execute} = await import('../dist/cli/main.js');
await execute({dir: import.meta.url});
