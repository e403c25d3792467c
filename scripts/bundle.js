// Bundles the CLI (oclif included) and the core into a few ES modules, shared code split into chunks.
// One file per command instead of hundreds of small modules: startup is a budget, and resolving and
// loading modules was most of it. Packages needed only by some runs (the Slack SDK, ora, conf, the
// YAML parser) sit in chunks of their own, loaded when used.
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import {dirname, relative} from 'node:path';
import {build} from 'esbuild';

const commands = readdirSync(new URL('../src/commands', import.meta.url)).filter((name) => name.endsWith('.ts'));

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
  external: ['typescript', 'ts-node', 'tsx'],
  banner: {js: banner},
  plugins: [oclifDirname],
  logLevel: 'warning',
});
console.error(`bundled ${commands.length} commands into dist/`);
