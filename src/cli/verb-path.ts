import {readFileSync} from 'node:fs';
import {arch, platform} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Command, Config} from '@oclif/core';

/**
 * The verbs that scripts and CI run in loops (status, deploy, restart, rollback), without oclif's plugin
 * machinery: their command is loaded and run with a configuration made from package.json alone, instead of
 * Config.load (plugins, the manifest, the platform probe, hooks). foggy has no plugins and no hooks, and its
 * commands read nothing else of the configuration. Anything a verb's parse does not take (help, the version,
 * a mistyped command) goes the whole way through oclif, as before.
 */
const VERBS = {
  status: () => import('../commands/status.js'),
  deploy: () => import('../commands/deploy.js'),
  restart: () => import('../commands/restart.js'),
  rollback: () => import('../commands/rollback.js'),
} as const;

/** Words that ask oclif itself for something: help and the version. */
const OCLIF_WORDS = new Set(['--help', '-h', '--version', '-v']);

/** The verb this command line runs on the lighter path, or undefined for oclif's own. */
export function lighterVerb(argv: readonly string[]): keyof typeof VERBS | undefined {
  const [id, ...rest] = argv;
  if (!id || !Object.hasOwn(VERBS, id)) return undefined;
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).some((word) => OCLIF_WORDS.has(word))) return undefined;
  return id as keyof typeof VERBS;
}

/** Runs a verb on the lighter path; errors are handled as oclif's run would have them (the caller's handle). */
export async function runVerb(id: keyof typeof VERBS, argv: readonly string[], root: string): Promise<void> {
  const {default: VerbCommand} = (await VERBS[id]()) as {default: new (argv: string[], config: Config) => Command};
  const command = new VerbCommand(argv.slice(1), lightConfig(root));
  command.id = id;
  await (command as unknown as {_run(): Promise<unknown>})._run();
}

interface PackageJson {
  name: string;
  version: string;
  oclif: {bin: string};
}

/** What oclif's Command and foggy's commands read of a configuration, from package.json. */
function lightConfig(root: string): Config {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const prefix = pjson.oclif.bin.toUpperCase().replaceAll('-', '_');
  const key = (name: string) => `${prefix}_${name}`;
  const config = {
    root,
    name: pjson.name,
    version: pjson.version,
    bin: pjson.oclif.bin,
    pjson,
    platform: platform(),
    arch: arch(),
    userAgent: `${pjson.name}/${pjson.version} ${platform()}-${arch()} node-${process.version}`,
    scopedEnvVarKey: key,
    scopedEnvVarKeys: (name: string) => [key(name)],
    scopedEnvVar: (name: string) => process.env[key(name)],
    scopedEnvVarTrue: (name: string) => ['1', 'true'].includes(process.env[key(name)] ?? ''),
    // No plugins, so no hooks: a hook run answers as oclif's does when none is registered.
    runHook: async () => ({successes: [], failures: []}),
    findCommand: () => undefined,
    theme: undefined,
  };
  return config as unknown as Config;
}

/** The package's root, from the entry's URL (bin/run.js). */
export function rootOf(entry: string): string {
  return join(fileURLToPath(new URL('.', entry)), '..');
}
