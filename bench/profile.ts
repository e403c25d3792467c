// npm run profile: where the time of one `foggy status web` with the mirror goes (--cpu-prof), by package
// and by function, written into BENCHMARKS.md.
//
//   npm run profile                                  profiles this checkout (label "after")
//   node --import tsx bench/profile.ts --root DIR --label NAME
//                                                    profiles another built checkout of foggy (say, an older commit)
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {SourceMap} from 'node:module';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {parseArgs} from 'node:util';
import {FakeSlack} from '../test/support/slack-server.js';
import {writeSection} from './report.js';

interface ProfileNode {
  id: number;
  callFrame: {functionName: string; url: string; lineNumber: number; columnNumber: number};
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const {values: options} = parseArgs({options: {root: {type: 'string', default: here}, label: {type: 'string', default: 'after'}, runs: {type: 'string', default: '10'}}});
const root = resolve(options.root!);
const runs = Number(options.runs);

/** The source file a frame of the bundle came from, through the bundle's source map. */
const maps = new Map<string, SourceMap | undefined>();
function originalSource(url: string, line: number, column: number): string | undefined {
  if (!url.startsWith('file://')) return undefined;
  const file = fileURLToPath(url);
  // foggy's bundle only: packages may ship maps of their own, to sources that name no package.
  if (!file.startsWith(join(root, 'dist'))) return undefined;
  if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined);
  const entry = maps.get(file)?.findEntry(line, column);
  return entry && 'originalSource' in entry ? entry.originalSource : undefined;
}

/** A package name, "node: built-ins", "V8", or foggy's own source folder. */
function owner(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '(V8: GC, compiling, native)';
  if (frame.url.startsWith('node:')) return 'node: built-ins (module loading, I/O)';
  const mapped = originalSource(frame.url, frame.lineNumber, frame.columnNumber);
  if (!mapped && frame.url.includes('/dist/chunks/')) return 'foggy bundle (esbuild helpers)';
  const source = mapped ?? frame.url;
  const modules = source.split('node_modules/');
  if (modules.length > 1) {
    const parts = modules.at(-1)!.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  // foggy's own code: by source folder (bundled, through the map; compiled file by file, by dist folder).
  const own = Math.max(source.lastIndexOf('/src/'), source.lastIndexOf('/dist/'));
  if (own >= 0) return `foggy ${source.slice(own + 1, source.lastIndexOf('/')).replace(/^dist\//, 'src/')}`;
  return source.replace(/^file:\/\//, '').replace(root, '.');
}

const scratch = mkdtempSync(join(tmpdir(), 'foggy-profile-'));
const site = createServer((_, response) => response.end('Hello World'));
const slack = await new FakeSlack().start();
try {
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  const port = (site.address() as AddressInfo).port;
  writeFileSync(join(scratch, 'foggy.yml'), `version: 1\nchannel: "#ops"\nservices:\n  web:\n    status:\n      - http: http://127.0.0.1:${port}/\n`);
  const env = {
    ...process.env,
    XDG_STATE_HOME: join(scratch, 'state'),
    XDG_CACHE_HOME: join(scratch, 'cache'),
    XDG_CONFIG_HOME: join(scratch, 'config'),
    FOGGY_SLACK_TOKEN: 'xoxb-profile-0001',
    FOGGY_SLACK_API_URL: slack.url,
    CI: '',
  };
  // (async: the site and Slack answering the run live in this process)
  const run = promisify(execFile);
  const bin = join(root, 'bin', 'run.js');
  // One warm run fills the compile cache, as on any machine after the first run.
  await run(process.execPath, [bin, 'status', 'web'], {cwd: scratch, env});
  // Several runs, summed: one alone is too few samples to rank by.
  const profiles = join(scratch, 'profiles');
  mkdirSync(profiles);
  for (let i = 0; i < runs; i++) {
    await run(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '100', bin, 'status', 'web'], {cwd: scratch, env});
  }

  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const name of readdirSync(profiles)) {
    const profile = JSON.parse(readFileSync(join(profiles, name), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    profile.samples.forEach((id, index) => {
      const ms = (profile.timeDeltas[index] ?? 0) / 1000 / runs;
      const {callFrame} = byId.get(id)!;
      if (callFrame.functionName === '(idle)') return;
      total += ms;
      const where = owner(callFrame);
      byPackage.set(where, (byPackage.get(where) ?? 0) + ms);
      const fn = `${callFrame.functionName || '(anonymous)'} — ${where}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    });
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => `| ${name.replaceAll('|', '\\|')} | ${ms.toFixed(1)} |`)
      .join('\n');
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8'}).trim();
  const report = `## Profile: ${options.label}

\`foggy status web\` of foggy at ${commit}, with the mirror on (loopback site and Slack): CPU time while not idle,
averaged over ${runs} runs with \`--cpu-prof\` after one warm-up, ${total.toFixed(0)} ms on Node ${process.version}. Written by
\`node --import tsx bench/profile.ts --label ${options.label}${root === here ? '' : ' --root <checkout>'}\`${root === here ? ' (`npm run profile`)' : ''}.
Bundled code is attributed to its package through the bundle's source maps.

| self time by package | ms |
|---|---:|
${top(byPackage, 12)}

| self time by function | ms |
|---|---:|
${top(byFunction, 12)}
`;
  writeSection(join(here, 'BENCHMARKS.md'), `profile-${options.label}`, report);
  process.stdout.write(report);
} finally {
  site.close();
  await slack.stop();
  rmSync(scratch, {recursive: true, force: true});
}
