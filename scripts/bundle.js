// Bundles the CLI (oclif included) and the core into a few ES modules, shared code split into chunks.
// One file per command instead of hundreds of small modules: startup is a budget, and resolving and
// loading modules was most of it. Packages needed only by some runs (the Slack SDK, ora, conf, the
// YAML parser) sit in chunks of their own, loaded when used.
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {build} from 'esbuild';

// Commands in folders are topics' subcommands (log/show.ts is "foggy log show").
const commands = readdirSync(new URL('../src/commands', import.meta.url), {recursive: true}).filter((name) => name.endsWith('.ts'));

/**
 * @oclif/core finds its own package.json through __dirname, which an ES module bundle has no value for:
 * point it at the installed package (a dependency still), resolved only when oclif asks.
 */
const oclifDirname = {
  name: 'oclif-dirname',
  setup(builder) {
    builder.onLoad({filter: /[\\/]node_modules[\\/]@oclif[\\/]core[\\/].*\.js$/}, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(source)) return undefined;
      const packageRoot = args.path.slice(0, args.path.lastIndexOf('@oclif') + '@oclif/core'.length);
      const dir = relative(packageRoot, dirname(args.path)).split('\\').join('/');
      const file = relative(packageRoot, args.path).split('\\').join('/');
      return {
        contents: source.replaceAll(/\b__dirname\b/g, `__oclifCorePath(${JSON.stringify(dir)})`).replaceAll(/\b__filename\b/g, `__oclifCorePath(${JSON.stringify(file)})`),
        loader: 'js',
      };
    });
  },
};

/**
 * @oclif/core checks, as it loads, that Node satisfies its own engines range, with semver: about 70 KB of code
 * and a few dozen regular expressions compiled on every run. bin/run.js has already checked Node against
 * foggy's own (stricter) range, before anything was imported, so oclif's check is given an answer instead.
 */
const oclifEngineChecked = {
  name: 'oclif-engine-checked',
  setup(builder) {
    builder.onResolve({filter: /^semver$/}, (args) => (/[\\/]@oclif[\\/]core[\\/]lib[\\/]index\.js$/.test(args.importer) ? {path: 'engine-checked', namespace: 'oclif-engine-checked'} : undefined));
    builder.onLoad({filter: /.*/, namespace: 'oclif-engine-checked'}, () => ({contents: 'module.exports = {satisfies: () => true};', loader: 'js'}));
  },
};

const banner = [
  "import {createRequire as __createRequire} from 'node:module';",
  "import {dirname as __pathDirname, join as __pathJoin} from 'node:path';",
  // Bundled CommonJS (oclif, ci-info, the Slack SDK) calls require.
  'const require = __createRequire(import.meta.url);',
  "let __oclifCoreRoot; const __oclifCorePath = (sub) => __pathJoin(__oclifCoreRoot ??= __pathDirname(require.resolve('@oclif/core/package.json')), sub);",
].join(' ');

rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true});
await build({
  entryPoints: [...commands.map((name) => `src/commands/${name}`), 'src/cli/main.ts'],
  outdir: 'dist',
  outbase: 'src',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Optional peers oclif looks for only in development (TypeScript sources).
  external: ['typescript', 'ts-node', 'tsx', '@slack/bolt'],
  banner: {js: banner},
  // Maps (not loaded unless node runs with --enable-source-maps) let a profile or a stack trace name the source.
  sourcemap: 'linked',
  sourcesContent: false,
  plugins: [oclifDirname, oclifEngineChecked],
  logLevel: 'warning',
});

/**
 * Node's compile cache keeps only the code V8 compiled eagerly, and V8 compiles a function lazily, at its
 * first call, unless it is wrapped in parentheses. Bundled CommonJS modules are functions called once at
 * load: parenthesised, their code goes into the cache instead of being compiled again on every run.
 */
function compileEagerly(code, file) {
  const opening = /^(var \w+ = __(?:commonJS|esm)\(\{\n {2}"[^"]+")\(([\w, ]*)\) \{$/gm;
  const closing = /^ {2}\}\n\}\);$/gm;
  const opened = code.match(opening)?.length ?? 0;
  const closed = code.match(closing)?.length ?? 0;
  // Anything unexpected in the bundle's shape: leave the file as esbuild wrote it.
  if (opened === 0 || opened !== closed) return code;
  const result = code.replace(opening, '$1: (function($2) {').replace(closing, '  })\n});');
  if (result.length !== code.length + opened * 12) throw new Error(`${file}: unexpected result of compileEagerly`);
  return result;
}

for (const folder of ['dist/chunks', 'dist/commands', 'dist/cli']) {
  for (const name of readdirSync(folder, {recursive: true}).filter((file) => file.endsWith('.js'))) {
    const file = join(folder, name);
    const code = readFileSync(file, 'utf8');
    const eager = compileEagerly(code, file);
    if (eager !== code) writeFileSync(file, eager);
  }
}
console.error(`bundled ${commands.length} commands into dist/`);
