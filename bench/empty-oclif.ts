import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {spawnSync} from 'node:child_process';

/**
 * The baseline: the smallest oclif CLI there is, on the very same @oclif/core, laid out as `oclif generate`
 * makes one (bin/run.js calling execute, one command), with its manifest built so both sides start alike.
 */
export function buildEmptyOclif(dir: string, nodeModules: string, node: string): string {
  mkdirSync(join(dir, 'bin'), {recursive: true});
  mkdirSync(join(dir, 'dist', 'commands'), {recursive: true});
  symlinkSync(nodeModules, join(dir, 'node_modules'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({name: 'empty', version: '1.0.0', type: 'module', bin: {empty: './bin/run.js'}, oclif: {bin: 'empty', dirname: 'empty', commands: './dist/commands', topicSeparator: ' '}}),
  );
  writeFileSync(join(dir, 'bin', 'run.js'), "#!/usr/bin/env node\nimport {execute} from '@oclif/core'\n\nawait execute({dir: import.meta.url})\n");
  writeFileSync(
    join(dir, 'dist', 'commands', 'hello.js'),
    "import {Command} from '@oclif/core'\n\nexport default class Hello extends Command {\n  static description = 'Say hello'\n\n  async run() {\n    this.log('hello world')\n  }\n}\n",
  );
  const manifest = `import {Plugin} from '@oclif/core'; import {writeFileSync} from 'node:fs';
const plugin = new Plugin({root: ${JSON.stringify(dir)}, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, isRoot: true});
await plugin.load();
writeFileSync(${JSON.stringify(join(dir, 'oclif.manifest.json'))}, JSON.stringify(plugin.manifest));`;
  const result = spawnSync(node, ['--input-type=module', '-e', manifest], {cwd: dir, encoding: 'utf8'});
  if (result.status !== 0) throw new Error(`building the empty oclif CLI failed: ${result.stderr}`);
  return join(dir, 'bin', 'run.js');
}
