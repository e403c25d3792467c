// Bundles the commands and the core into a few ES modules (shared code split into chunks).
// One file per command instead of dozens of small modules: startup is a budget, and module
// resolution and loading were most of it. Heavy, rarely needed packages stay outside and load lazily.
import {readdirSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

const commands = readdirSync(new URL('../src/commands', import.meta.url)).filter((name) => name.endsWith('.ts'));
rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
  entryPoints: commands.map((name) => `src/commands/${name}`),
  outdir: 'dist/commands',
  chunkNames: '../chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: ['@oclif/core', '@slack/web-api', 'ora', 'conf', 'proper-lockfile'],
  // Bundled CommonJS (ci-info, the Ajv runtime helper) needs require in an ES module.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
  logLevel: 'warning',
});
console.error(`bundled ${commands.length} commands into dist/`);
