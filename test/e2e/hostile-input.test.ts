import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {appendFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {BAD_FLAGS} from '../support/bad-flags.js';
import {Sandbox} from '../support/cli.js';
import {httpService, type Running} from '../support/servers.js';

/**
 * Bad input, as a hostile user (or an unlucky one) would bring it: every case exits with its documented
 * code and one clear line (no stack trace, no TypeError), runs nothing it should not, and loses nothing:
 * the entry recorded before it is still there to read.
 */
interface Case {
  name: string;
  /** Changes to the sandbox before the run: files, the catalog. */
  setup?: (sandbox: Sandbox) => void;
  args: string[] | ((sandbox: Sandbox) => string[]);
  env?: NodeJS.ProcessEnv | ((sandbox: Sandbox) => NodeJS.ProcessEnv);
  /** A directory of the sandbox to run in. */
  cwd?: string;
  code: number;
  /** What the message must say. */
  says: RegExp;
}

const catalogWith = (text: string) => (sandbox: Sandbox) => void sandbox.dir.file('foggy.yml', text);
const service = (body: string) => `version: 1\nservices:\n  web:\n${body}`;
const bomb = (() => {
  let text = 'version: 1\nx0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n';
  for (let i = 1; i < 10; i++) text += `x${i}: &a${i} [${Array.from({length: 9}, () => `*a${i - 1}`).join(',')}]\n`;
  return `${text}services:\n  web:\n    status: []\n`;
})();
const state = (sandbox: Sandbox) => join(sandbox.env.XDG_STATE_HOME!, 'foggy');

const CASES: Case[] = [
  // The catalog.
  {name: 'a YAML alias bomb', setup: catalogWith(bomb), args: ['status'], code: 2, says: /foggy\.yml: invalid YAML: Excessive alias count/},
  {name: 'a FIFO as the catalog', setup: (s) => execFileSync('mkfifo', [join(s.dir.path, 'fifo.yml')]), args: ['status', '--config', 'fifo.yml'], code: 2, says: /fifo\.yml: not a regular file \(a FIFO\)/},
  {name: '/dev/zero as the catalog', args: ['status', '--config', '/dev/zero'], code: 2, says: /\/dev\/zero: not a regular file/},
  {name: 'a directory as the catalog', setup: (s) => mkdirSync(join(s.dir.path, 'dir.yml')), args: ['status', '--config', 'dir.yml'], code: 2, says: /dir\.yml: (a directory|not a regular file)/},
  {name: 'a catalog over 512 KiB', setup: catalogWith(`version: 1\n${'#'.repeat(600_000)}\nservices: {web: {}}\n`), args: ['status'], code: 2, says: /foggy\.yml: 600,\d+ bytes is over the 512 KiB/},
  {name: 'binary garbage', setup: (s) => writeFileSync(join(s.dir.path, 'foggy.yml'), Buffer.from(Array.from({length: 4000}, (_, i) => (i * 7919) % 256))), args: ['status'], code: 2, says: /foggy\.yml: binary data, not a YAML text file/},
  {name: 'a NUL byte in the catalog', setup: catalogWith('version: 1\nservices:\n  web: {}\n\u0000\n'), args: ['status'], code: 2, says: /binary data/},
  {name: 'an empty catalog', setup: catalogWith(''), args: ['status'], code: 2, says: /foggy\.yml/},
  {name: 'a catalog that is a list', setup: catalogWith('- web\n- db\n'), args: ['status'], code: 2, says: /foggy\.yml:1:1/},
  {name: 'invalid YAML', setup: catalogWith('version: 1\nservices:\n  web: [\n'), args: ['status'], code: 2, says: /foggy\.yml:\d+:\d+: invalid YAML/},
  {name: 'a duplicate key', setup: catalogWith('version: 1\nservices:\n  web: {}\n  web: {}\n'), args: ['status'], code: 2, says: /invalid YAML: Map keys must be unique/},
  {name: 'an unknown key', setup: catalogWith(service('    sttus: []\n')), args: ['status'], code: 2, says: /services\.web\.sttus/},
  {name: 'an invalid service name', setup: catalogWith('version: 1\nservices:\n  Web Site: {}\n'), args: ['status'], code: 2, says: /a service name/},
  {name: 'a duration of 0', setup: catalogWith(service('    status:\n      - tcp: 127.0.0.1:9\n        timeout: 0s\n')), args: ['status'], code: 2, says: /timeout: expected a duration from 1ms to 24h \(got "0s"\)/},
  {name: 'an absurdly long duration', setup: catalogWith(service('    deploy:\n      run: "true"\n      timeout: 100000h\n')), args: ['deploy', 'web'], code: 2, says: /deploy\.timeout: expected a duration from 1ms to 24h/},
  {name: 'a duration of 1e30 seconds', setup: catalogWith('version: 1\nmirror: {budget: 1e30}\nservices:\n  web: {}\n'), args: ['status'], code: 2, says: /mirror\.budget: expected a duration from 1ms to 24h/},
  {name: 'an invalid URL in an http check', setup: catalogWith(service('    status:\n      - http: "http://exa mple.test:99999/"\n')), args: ['status'], code: 2, says: /status\[0\]\.http: expected a URL/},
  {name: 'a port out of range', setup: catalogWith(service('    status:\n      - tcp: 127.0.0.1:99999\n')), args: ['status'], code: 2, says: /expected a port from 1 to 65535/},
  {name: 'run: [""]', setup: catalogWith(service('    deploy:\n      run: [""]\n')), args: ['deploy', 'web'], code: 2, says: /deploy\.run: expected a command to run \(got \[""\]\)/},
  {name: 'run: "   "', setup: catalogWith(service('    restart:\n      run: "   "\n')), args: ['restart', 'web'], code: 2, says: /restart\.run: expected a command to run/},
  {name: 'a command check of [""]', setup: catalogWith(service('    status:\n      - command: [""]\n')), args: ['status'], code: 2, says: /status\[0\]\.command: expected a command to run/},
  {name: 'a redact pattern with nested repetition', setup: catalogWith('version: 1\nredact: ["(a+)+$"]\nservices:\n  web: {}\n'), args: ['status'], code: 2, says: /redact\[0\]: expected a regular expression without nested repetition/},
  {name: 'a body pattern with nested repetition', setup: catalogWith(service('    status:\n      - http: http://127.0.0.1:9/\n        expect: {bodyPattern: "(x*)*y"}\n')), args: ['status'], code: 2, says: /bodyPattern: expected a regular expression without nested repetition/},
  {name: 'an invalid redact pattern', setup: catalogWith('version: 1\nredact: ["("]\nservices:\n  web: {}\n'), args: ['status'], code: 2, says: /redact\[0\]: expected a regular expression/},
  {
    name: 'a catalog of 20,000 services',
    setup: catalogWith(`version: 1\nservices:\n${Array.from({length: 20_000}, (_, i) => `  s${i}: {}\n`).join('')}`),
    args: ['status'],
    code: 2,
    says: /at most 10,000 services \(got 20,000\)|over the 512 KiB/,
  },
  {
    name: 'a link loop named foggy.yml (never a parent directory\'s catalog instead)',
    setup: (s) => {
      mkdirSync(join(s.dir.path, 'app'));
      symlinkSync('foggy.yml', join(s.dir.path, 'app', 'foggy.yml'));
    },
    args: ['status'],
    cwd: 'app',
    code: 2,
    says: /app\/foggy\.yml: a loop of symbolic links/,
  },
  {name: 'a missing --config file', args: ['status', '--config', 'nowhere.yml'], code: 2, says: /Config file not found: .*nowhere\.yml/},
  // The environment and foggy's own files.
  {name: 'FOGGY_SLACK_API_URL of another scheme', env: {FOGGY_SLACK_TOKEN: 'xoxb-1-2', FOGGY_SLACK_API_URL: 'ftp://slack.test/api/'}, args: ['status', 'web'], code: 2, says: /FOGGY_SLACK_API_URL must be an http\(s\) URL, not ftp:/},
  {name: 'FOGGY_SLACK_API_URL that is no URL', env: {FOGGY_SLACK_TOKEN: 'xoxb-1-2', FOGGY_SLACK_API_URL: 'slack api'}, args: ['status', 'web'], code: 2, says: /FOGGY_SLACK_API_URL is not a URL/},
  {name: 'a token with a space inside', env: {FOGGY_SLACK_TOKEN: 'xoxb-123 456'}, args: ['status', 'web'], code: 2, says: /token in FOGGY_SLACK_TOKEN has spaces or line breaks inside it/},
  {name: 'a token with a line break inside', env: {SLACK_BOT_TOKEN: 'xoxb-123\nxoxb-456'}, args: ['status', 'web'], code: 2, says: /SLACK_BOT_TOKEN has spaces or line breaks/},
  {name: 'FOGGY_MIRROR_BUDGET that is no duration', env: {FOGGY_MIRROR_BUDGET: 'soon'}, args: ['status', 'web'], code: 2, says: /FOGGY_MIRROR_BUDGET: not a duration: "soon"/},
  {name: 'FOGGY_JOURNAL_MAX_SIZE that is no size', env: {FOGGY_JOURNAL_MAX_SIZE: 'lots'}, args: ['status', 'web'], code: 2, says: /FOGGY_JOURNAL_MAX_SIZE: not a size/},
  {name: 'FOGGY_CHANNEL without its #', env: {FOGGY_CHANNEL: 'ops'}, args: ['status', 'web'], code: 2, says: /FOGGY_CHANNEL: expected a channel as #name/},
  {
    name: 'a state directory with a file in the way',
    setup: (s) => writeFileSync(join(s.dir.path, 'blocked'), ''),
    env: (s) => ({XDG_STATE_HOME: join(s.dir.path, 'blocked', 'state')}),
    args: ['status', 'web'],
    code: 2,
    says: /Cannot write foggy's state directory .*blocked\/state\/foggy: a file is in the way where a directory should be\. Nothing ran\./,
  },
  // Flags (those a parse alone refuses are tested in process: test/support/bad-flags.ts).
  {name: '--channel without its #', args: ['status', 'web', '--channel', 'ops'], code: 2, says: /--channel: expected a channel as #name/},
  {name: '--channel with spaces', args: ['deploy', 'web', '--channel', '#Ops Team'], code: 2, says: /--channel: expected a channel/},
  {name: '--channel with markup', args: ['log', '--channel', '<!channel>'], code: 2, says: /--channel: expected a channel/},
  {name: 'a --ref of 10,000 characters', args: ['deploy', 'web', '--ref', 'v'.repeat(10_000)], code: 2, says: /--ref: at most 256 characters \(got 10,000\)/},
  {name: 'a --ref with an escape sequence', args: ['deploy', 'web', '--ref', 'v1\u001B[2J'], code: 2, says: /--ref: control characters are not allowed/},
  {name: 'a --reason of 5,000 characters', args: ['status', 'web', '--reason', 'r'.repeat(5000)], code: 2, says: /--reason: at most 1,000 characters/},
  {name: 'an unknown service', args: ['status', 'wbe'], code: 2, says: /wbe.*did you mean "web"/i},
  {name: 'outbox --drop of an unknown id', args: ['outbox', '--drop', 'nope'], code: 2, says: /No entry "nope" in the outbox/},
];

/** Files foggy reads back, holding null, other shapes or garbage: skipped or reset, never a crash, the good records kept. */
const CORRUPT: {name: string; file: string; content: string; args: string[]; config?: boolean; says?: RegExp}[] = [
  {name: 'a settings file holding null', file: 'config.json', content: 'null', args: ['status', 'web'], config: true, says: /config\.json does not hold settings; it is ignored/},
  {name: 'a settings file of garbage', file: 'config.json', content: '{"token": ', args: ['doctor'], config: true, says: /config\.json is not JSON; it is ignored/},
  {name: 'a settings file holding a list', file: 'config.json', content: '["xoxb-1"]', args: ['log', '--local'], config: true},
  {name: 'journal lines of null, numbers and lists', file: 'journal.jsonl', content: 'null\n42\n[]\n"text"\n', args: ['log', '--local'], says: /Skipped 4 unreadable lines in the journal/},
  {name: 'a journal start record without an entry\'s shape', file: 'journal.jsonl', content: '{"kind":"start","entry":{"id":"x"}}\n{"kind":"start","entry":null}\n{"kind":"end","id":null}\n', args: ['log', '--local']},
  {name: 'a torn journal line and binary garbage', file: 'journal.jsonl', content: '{"kind":"start","entry":{"id":"torn\n\u0000\u00ff\u0001garbage\n', args: ['log', '--local']},
  {name: 'an outbox file holding null', file: 'outbox/000000000-aaaaaaaaaaaa.json', content: 'null', args: ['outbox', '--json']},
  {name: 'an outbox file of garbage', file: 'outbox/000000000-bbbbbbbbbbbb.json', content: '{{{not json', args: ['outbox'], says: /Skipped 1 unreadable file in .*outbox/},
  {name: 'an outbox file of another shape', file: 'outbox/000000000-cccccccccccc.json', content: '{"id": 7, "services": "web"}', args: ['doctor']},
  {name: 'channels.json holding null', file: 'channels.json', content: 'null', args: ['status', 'web']},
  {name: 'channels.json holding a list', file: 'channels.json', content: '[1,2,3]', args: ['status', 'web']},
];

describe('hostile input: a clear error, nothing lost', function () {
  this.timeout(30_000);
  let site: Running;
  let sandbox: Sandbox;
  let earlier: string;

  before(async () => {
    site = await httpService((_, response) => response.end('Hello World'));
  });
  after(() => site.close());
  beforeEach(async () => {
    sandbox = new Sandbox(service(`    status:\n      - http: ${site.url}\n    deploy:\n      run: ["node", "-e", "require('fs').writeFileSync('deployed', '')"]\n`));
    const first = await sandbox.run(['status', 'web']);
    assert.equal(first.code, 0, first.stderr);
    earlier = sandbox.journal.entries()[0].id;
  });
  afterEach(() => sandbox.remove());

  /** One clear message: a line (and maybe a hint), no stack trace, no JavaScript error. */
  function assertClear(stderr: string): void {
    assert.ok(stderr.trim().length > 0, 'says something');
    assert.ok(stderr.trim().split('\n').length <= 3, `one line and a hint at most:\n${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at |TypeError|ReferenceError|SyntaxError: Unexpected|unsettled top-level await/);
    assert.doesNotMatch(stderr, /[\u0000-\u0008\u000B-\u001A\u001C-\u001F\u009B]/, 'no raw control bytes');
  }

  async function assertEarlierEntryReadable(): Promise<void> {
    const log = await sandbox.run(['log', '--local', '--json'], {env: {XDG_STATE_HOME: sandbox.env.XDG_STATE_HOME}});
    assert.equal(log.code, 0, log.stderr);
    assert.ok(JSON.parse(log.stdout).entries.some((entry: {id: string}) => entry.id === earlier), 'the earlier entry is still there');
  }

  for (const item of CASES) {
    it(`${item.name}: exit ${item.code}, one clear line`, async () => {
      item.setup?.(sandbox);
      const args = typeof item.args === 'function' ? item.args(sandbox) : item.args;
      const env = typeof item.env === 'function' ? item.env(sandbox) : item.env;
      const result = await sandbox.run(args, {env, cwd: item.cwd ? join(sandbox.dir.path, item.cwd) : undefined});
      assert.equal(result.code, item.code, result.stdout + result.stderr);
      assertClear(result.stderr);
      assert.match(result.stderr, item.says);
      assert.equal(existsSync(join(sandbox.dir.path, 'deployed')), false, 'no action ran');
      await assertEarlierEntryReadable();
    });
  }

  for (const item of CORRUPT) {
    it(`${item.name}: skipped, never a crash, good records still shown`, async () => {
      const file = join(item.config ? join(sandbox.env.XDG_CONFIG_HOME!, 'foggy') : state(sandbox), item.file);
      mkdirSync(join(file, '..'), {recursive: true});
      appendFileSync(file, item.content);
      const result = await sandbox.run(item.args);
      assert.ok([0, 1].includes(result.code ?? -1), `exit ${result.code}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at |TypeError|ReferenceError/);
      if (item.says) assert.match(result.stderr + result.stdout, item.says);
      await assertEarlierEntryReadable();
      const again = await sandbox.run(['status', 'web']);
      assert.equal(again.code, 0, again.stderr);
    });
  }

  it(`counts at least 50 cases`, () => assert.ok(CASES.length + CORRUPT.length + BAD_FLAGS.length >= 50, `${CASES.length + CORRUPT.length + BAD_FLAGS.length} cases`));
});
