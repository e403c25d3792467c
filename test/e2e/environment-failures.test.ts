import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {chmodSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {FOGGY, collect, Sandbox, type CliResult} from '../support/cli.js';

/**
 * The user's environment failing under foggy: a full disk, a read-only mount, a file where a directory should
 * be, a directory where a file should be, no permission, a loop of links, a path too long, too few open files.
 * Every command says so in one line that names the path and what to do, exits with the documented code (2:
 * nothing ran; an action that ran keeps its own), and never calls it a bug, prints a stack or Node's warnings.
 *
 * A full disk and a read-only mount are real: a tiny tmpfs mounted in a mount namespace of the run's own
 * (unshare), gone when the run ends.
 */

const CATALOG = `version: 1
services:
  web:
    status:
      - tcp: 127.0.0.1:1
    deploy:
      run: ["sh", "-c", "echo deploying"]
    restart:
      run: ["sh", "-c", "echo restarting"]
`;

type Setup = (sandbox: Sandbox) => {env?: NodeJS.ProcessEnv; wrap?: (argv: string[]) => {command: string; args: string[]}; asUser?: boolean};

/** What a failure stops: every command that records (status, deploy, restart, watch), and the readers where reading fails too. */
interface Stops {
  /** log (and outbox) cannot read either. */
  reading?: 'journal' | 'all';
}

/** Runs `node bin/run.js ARGS` inside a private mount namespace, after `mounts` (shell) prepared it. */
function inNamespace(mounts: string): Setup['prototype'] {
  return (argv: string[]) => ({command: 'unshare', args: ['-rm', 'sh', '-c', `${mounts} && exec "$0" "$@"`, process.execPath, FOGGY, ...argv]});
}

const canUnshare = spawnSync('unshare', ['-rm', 'true']).status === 0;
const isRoot = process.getuid?.() === 0;
const canDropPrivileges = isRoot && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

// name, how the environment fails, the error it must name, what it stops
const FAILURES: [string, Setup, RegExp, Stops][] = [
  ['a file where the state directory should be', (sandbox) => ({env: {XDG_STATE_HOME: sandbox.dir.file('state-file', 'not a directory')}}), /a file is in the way where a directory should be/, {reading: 'all'}],
  [
    'a directory where the journal should be',
    (sandbox) => {
      mkdirSync(join(sandbox.dir.path, 'state', 'foggy', 'journal.jsonl'), {recursive: true});
      return {};
    },
    /a directory is in the way where a file should be/,
    {reading: 'journal'},
  ],
  [
    'a full disk',
    (sandbox) => {
      const state = join(sandbox.dir.path, 'tiny');
      mkdirSync(state);
      return {env: {XDG_STATE_HOME: state}, wrap: inNamespace(`mount -t tmpfs -o size=16k tmpfs ${state} && mkdir -p ${state}/foggy && (head -c 1000000 /dev/zero > ${state}/fill 2>/dev/null || true)`)};
    },
    /no space left on the device/,
    {},
  ],
  [
    'a read-only file system',
    (sandbox) => {
      const state = join(sandbox.dir.path, 'readonly');
      mkdirSync(state);
      return {env: {XDG_STATE_HOME: state}, wrap: inNamespace(`mount -t tmpfs -o size=64k,ro tmpfs ${state}`)};
    },
    /read-only file system/,
    {},
  ],
  [
    'a loop of symbolic links',
    (sandbox) => {
      symlinkSync('loop', join(sandbox.dir.path, 'loop'));
      return {env: {XDG_STATE_HOME: join(sandbox.dir.path, 'loop')}};
    },
    /a loop of symbolic links/,
    {reading: 'all'},
  ],
  ['a path too long', (sandbox) => ({env: {XDG_STATE_HOME: join(sandbox.dir.path, 'x'.repeat(300))}}), /the path is too long/, {reading: 'all'}],
  [
    'no permission on the state directory',
    (sandbox) => {
      const state = join(sandbox.dir.path, 'locked');
      mkdirSync(join(state, 'foggy'), {recursive: true});
      chmodSync(join(state, 'foggy'), 0o500);
      // root reads and writes anything: the run goes as nobody, in a sandbox nobody can enter.
      if (isRoot) chmodSync(sandbox.dir.path, 0o755);
      return {env: {XDG_STATE_HOME: state}, asUser: true};
    },
    /permission denied/,
    {reading: 'all'},
  ],
];

/** The exit each command must have under a failure: 2 where it stops it, doctor 1 (it reports), 0 or 1 where it does not. */
const COMMANDS: [string[], (stops: Stops) => number][] = [
  [['status'], () => 2],
  [['deploy', 'web'], () => 2],
  [['restart', 'web'], () => 2],
  [['watch', '--once'], () => 2],
  [['log'], (stops) => (stops.reading ? 2 : 0)],
  [['outbox'], (stops) => (stops.reading === 'all' ? 2 : 0)],
  [['doctor'], () => 1],
];

async function run(sandbox: Sandbox, setup: ReturnType<Setup>, argv: string[]): Promise<CliResult> {
  const env = {...sandbox.env, ...setup.env};
  let command = process.execPath;
  let args = [FOGGY, ...argv];
  if (setup.wrap) ({command, args} = setup.wrap(argv));
  if (setup.asUser && isRoot) {
    args = ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args];
    command = 'setpriv';
  }
  return collect(spawn(command, args, {cwd: sandbox.dir.path, env, stdio: ['ignore', 'pipe', 'pipe']}));
}

function assertNamed(result: CliResult, error: RegExp, what: string): void {
  assert.doesNotMatch(result.stderr, /internal error|This is a bug|\(node:\d+\)|^\s+at /m, `${what}: ${result.stderr}`);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('Error:'));
  assert.equal(errors.length, 1, `${what}: one error line, got ${JSON.stringify(result.stderr)}`);
  assert.match(errors[0], error, what);
  assert.match(errors[0], /\//, `${what}: the path is named`);
}

describe('the environment failing: named, never a bug', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = new Sandbox(CATALOG);
  });
  afterEach(() => sandbox.remove());

  it('the system can make the failures this needs (unshare, setpriv as root)', () => {
    assert.ok(canUnshare, 'unshare -rm must work to mount a tiny file system for a run');
    if (isRoot) assert.ok(canDropPrivileges, 'setpriv must work to run as nobody');
  });

  for (const [failure, setup, error, stops] of FAILURES) {
    for (const [argv, expected] of COMMANDS) {
      const code = expected(stops);
      it(`${failure}: foggy ${argv.join(' ')} exits ${code}${code === 0 ? ': it only reads, and reading works' : ', naming it'}`, async () => {
        const result = await run(sandbox, setup(sandbox), argv);
        assert.equal(result.code, code, `${result.stdout}\n${result.stderr}`);
        if (argv[0] === 'doctor') {
          assert.match(result.stdout, error);
          assert.doesNotMatch(result.stderr, /internal error|\(node:\d+\)|^\s+at /m);
          return;
        }
        if (code === 0) {
          assert.doesNotMatch(result.stderr, /Error:|internal error|\(node:\d+\)|^\s+at /m);
          return;
        }
        assertNamed(result, error, failure);
        // Nothing ran: the action's output is not there.
        assert.doesNotMatch(result.stdout + result.stderr, /deploying|restarting/);
      });
    }
  }

  it('--json: the same failure as a JSON error object, exit 2', async () => {
    const result = await run(sandbox, FAILURES[0][1](sandbox), ['status', '--json']);
    assert.equal(result.code, 2);
    const json = JSON.parse(result.stdout) as {ok: boolean; error: {message: string; hint: string; exitCode: number}};
    assert.deepEqual([json.ok, json.error.exitCode], [false, 2]);
    assert.match(json.error.message, /Cannot write foggy's state directory .*: a file is in the way/);
    assert.match(json.error.hint, /XDG_STATE_HOME/);
  });

  it('foggy services reads the catalog only: it works whatever the state directory', async () => {
    const result = await run(sandbox, FAILURES[0][1](sandbox), ['services']);
    assert.equal(result.code, 0, result.stderr);
  });

  it('a config directory that cannot be written: login saves nothing, says where and why', async () => {
    const config = sandbox.dir.file('config-file', 'x');
    const child = spawn(process.execPath, [FOGGY, "login", "--with-token"], {cwd: sandbox.dir.path, env: {...sandbox.env, XDG_CONFIG_HOME: config, FOGGY_SLACK_API_URL: 'http://127.0.0.1:1/api/'}, stdio: ['pipe', 'pipe', 'pipe']});
    child.stdin!.end('xoxb-not-checked');
    const result = await collect(child);
    // The token is checked with Slack first (unreachable here): either way, never an internal error.
    assert.ok(result.code === 2 || result.code === 3 || result.code === 1, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error|^\s+at /m);
  });

  it('the disk filling while the action runs: its exit code stands, one line says what was not recorded, and the next run completes the entry', async () => {
    const state = join(sandbox.dir.path, 'tiny');
    mkdirSync(state);
    writeFileSync(
      join(sandbox.dir.path, 'foggy.yml'),
      `version: 1\nservices:\n  web:\n    status:\n      - tcp: 127.0.0.1:1\n    deploy:\n      run: ["sh", "-c", "echo deploying; head -c 12000 /dev/zero | tr '\\\\0' x; head -c 1000000 /dev/zero > ${state}/fill 2>/dev/null; exit 0"]\n`,
    );
    const script = [
      `mount -t tmpfs -o size=64k tmpfs ${state}`,
      `"$0" ${FOGGY} deploy web > /dev/null; echo "deploy exit $?" >&2`,
      `rm -f ${state}/fill`,
      `"$0" ${FOGGY} status > /dev/null 2>&1`,
      `"$0" ${FOGGY} log --json --verb deploy`,
    ].join('\n');
    const result = await collect(spawn('unshare', ['-rm', 'sh', '-c', script, process.execPath], {cwd: sandbox.dir.path, env: {...sandbox.env, XDG_STATE_HOME: state}, stdio: ['ignore', 'pipe', 'pipe']}));
    assert.match(result.stderr, /deploy exit 0/, result.stderr);
    // What no longer fits is named: the end of the entry (kept aside), or its output (the entry itself is recorded).
    // (The lock's file, removed as the action ends, gives back a block: the output is larger than that.)
    assert.match(result.stderr, /Could not (?:write the end of entry \S+ to the journal in .*\(no space left on the device\); it is kept aside and will be written by the next run that can; the exit code is still the operation's|keep the output of entry \S+ in .*\(no space left on the device\); the entry itself is recorded)/);
    assert.doesNotMatch(result.stderr, /internal error|^\s+at /m);
    const log = JSON.parse(result.stdout) as {entries: {verb: string; outcome: string; exitCode?: number}[]};
    assert.deepEqual(
      log.entries.map((entry) => [entry.verb, entry.outcome, entry.exitCode]),
      [['deploy', 'succeeded', 0]],
    );
  });

  it('too few open files for a thousand checks: they wait for descriptors, and every one is judged', async () => {
    const services = Array.from({length: 300}, (_, i) => `  s${i}:\n    status:\n      - ${i % 2 ? 'tcp: 127.0.0.1:1' : `http: http://127.0.0.1:1/${i}`}\n`).join('');
    writeFileSync(join(sandbox.dir.path, 'foggy.yml'), `version: 1\nservices:\n${services}`);
    const result = await collect(spawn('sh', ['-c', `ulimit -n 48 && exec "$0" ${FOGGY} status --json`, process.execPath], {cwd: sandbox.dir.path, env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe']}));
    assert.equal(result.code, 1, result.stderr);
    const json = JSON.parse(result.stdout) as {services: {checks: {detail: string}[]}[]};
    assert.equal(json.services.length, 300);
    assert.deepEqual(new Set(json.services.map((service) => service.checks[0].detail)), new Set(['connection refused']));
    assert.doesNotMatch(result.stderr, /EMFILE|internal error|^\s+at /m);
  });

  it('durations and budgets past what a timer holds are refused where they are read, never a Node warning', async () => {
    for (const [env, argv, name] of [
      [{FOGGY_MIRROR_BUDGET: '99999h', FOGGY_SLACK_TOKEN: 'xoxb-x', FOGGY_SLACK_API_URL: 'http://127.0.0.1:1/api/'}, ['status'], 'FOGGY_MIRROR_BUDGET'],
      [{}, ['deploy', 'web', '--wait', '99999h'], '--wait'],
      [{}, ['watch', '--once', '--interval', '9999999h'], '--interval'],
    ] as [NodeJS.ProcessEnv, string[], string][]) {
      const result = await sandbox.run(argv, {env});
      assert.equal(result.code, 2, `${argv.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`^Error: ${name}: expected a duration from \\S+ to 24h \\(got "`, 'm'));
      assert.doesNotMatch(result.stderr, /\(node:\d+\)|Warning/);
    }
  });
});
