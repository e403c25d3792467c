import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {createFoggy, type FoggyDeps} from '../../src/core/app/foggy.js';
import type {AppIo} from '../../src/core/app/io.js';
import type {ActionResult, StatusResult} from '../../src/core/app/results.js';
import {FoggyError} from '../../src/core/errors/foggy-error.js';
import {Journal} from '../../src/core/journal/journal.js';
import {FoggyCommand} from '../../src/cli/foggy-command.js';
import {httpService, type Running} from '../support/servers.js';
import {FakeSlack} from '../support/slack-server.js';
import {tempDir} from '../support/temp.js';
import {TOKEN} from '../support/world.js';

/** What a use case said, printed and asked: the in-process stand-in for a terminal (as gh's iostreams.Test()). */
function capture(answers: (string | undefined)[] = []): AppIo & {notes: string[]; printed: string; asked: string[]} {
  const io = {
    notes: [] as string[],
    printed: '',
    asked: [] as string[],
    note: (line: string) => void io.notes.push(line),
    warn: (line: string) => void io.notes.push(line),
    output: (chunk: Buffer) => void (io.printed += chunk.toString()),
    async ask(question: string) {
      io.asked.push(question);
      return answers.shift();
    },
    progress: <T>(_text: string, work: () => Promise<T>) => work(),
  };
  return io;
}

/**
 * The use cases called in-process, as a watcher or a chat front end will call them: injected environment,
 * clock, IO, prompts and Slack; real catalog, journal, checks and processes underneath.
 */
describe('the application layer, in process', function () {
  this.timeout(20_000);
  let site: Running;
  let dir: ReturnType<typeof tempDir>;
  const clock = new Date('2026-03-04T05:06:07.000Z');

  before(async () => (site = await httpService((_, response) => response.end('ok'))));
  after(() => site.close());
  beforeEach(() => {
    dir = tempDir();
    dir.file(
      'foggy.yml',
      `version: 1
channel: "#ops"
services:
  web:
    protected: true
    status:
      - http: ${site.url}
    deploy:
      run: ["node", "-e", "console.log('deployed', process.argv[1])", "{ref}"]
`,
    );
  });
  afterEach(() => dir.remove());

  const deps = (io: AppIo, extra: Partial<FoggyDeps> = {}): FoggyDeps => ({
    env: {HOME: dir.path, XDG_STATE_HOME: `${dir.path}/state`, XDG_CONFIG_HOME: `${dir.path}/config`, XDG_CACHE_HOME: `${dir.path}/cache`, FOGGY_CONFIG: `${dir.path}/foggy.yml`, FOGGY_BACKGROUND_FLUSH: '0'},
    io,
    now: () => clock,
    ...extra,
  });
  const journal = () => new Journal(`${dir.path}/state/foggy`);

  it('status returns the typed result, stamped by the injected clock, and journals it', async () => {
    const io = capture();
    const result = (await createFoggy(deps(io)).status({services: ['web'], commandLine: 'foggy status web'})) as StatusResult;
    assert.deepEqual([result.ok, result.outcome, result.services[0].service], [true, 'succeeded', 'web']);
    const [entry] = journal().entries();
    assert.equal(entry.id, result.entry);
    assert.equal(entry.startedAt, clock.toISOString());
    assert.equal(entry.endedAt, clock.toISOString());
    assert.match(io.notes.join('\n'), /recorded locally only/);
  });

  it('deploy asks through the injected prompt; the right name runs it, its output goes to the injected IO', async () => {
    const io = capture(['web']);
    const result = (await createFoggy(deps(io)).deploy({service: 'web', ref: 'v3', commandLine: 'foggy deploy web'})) as ActionResult;
    assert.deepEqual(io.asked, ['web is protected. Type the service name to deploy it: ']);
    assert.equal(result.outcome, 'succeeded');
    assert.equal(io.printed, 'deployed v3\n');
  });

  it('a wrong answer, or nobody to ask, is a refusal that is recorded', async () => {
    for (const answer of ['db', undefined]) {
      const io = capture([answer]);
      await assert.rejects(createFoggy(deps(io)).deploy({service: 'web', ref: 'v3', commandLine: 'foggy deploy web'}), (error: FoggyError) => error.kind === 'refused');
    }
    assert.deepEqual(journal().entries().map((entry) => entry.outcome), ['refused', 'refused']);
  });

  it('a chat front end says who runs it and which workspace to post to', async () => {
    const slack = await new FakeSlack().start();
    try {
      const io = capture();
      const foggy = createFoggy(deps(io, {slack: {token: TOKEN, apiUrl: slack.url}, who: {user: 'alice', host: 'slack', slackUser: 'U0ALICE01'}}));
      const result = (await foggy.status({services: [], commandLine: '/foggy status'})) as StatusResult;
      assert.match(result.permalink ?? '', /^https:\/\/hello\.slack\.test\/archives\/C0OPS00001\/p\d+$/);
      assert.deepEqual(journal().entries()[0].who, {user: 'alice', host: 'slack', slackUser: 'U0ALICE01'});
      assert.match(JSON.stringify(slack.posts()[0].blocks), /<@U0ALICE01>/);
      assert.equal(io.notes.length, 0, io.notes.join('\n'));
      const log = await foggy.log({limit: 5});
      assert.deepEqual([log.source, log.entries.map((entry) => entry.id)], ['channel', [result.entry]]);
    } finally {
      await slack.stop();
    }
  });

  it('an unexpected error in a command is an internal error: its own exit code, a hint, the JSON error object', async () => {
    class Broken extends FoggyCommand {
      static override id = 'broken';
      async run(): Promise<void> {
        await this.parse(Broken);
        (undefined as unknown as {oops(): void}).oops();
      }
    }
    let stdout = '';
    let stderr = '';
    const write = {out: process.stdout.write, err: process.stderr.write};
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
    const exitCode = process.exitCode;
    try {
      await Broken.run(['--json'], fileURLToPath(new URL('../..', import.meta.url)));
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
    const code = process.exitCode;
    process.exitCode = exitCode;
    assert.equal(code, 70);
    assert.match(stderr, /^Error: foggy hit an internal error: Cannot read properties of undefined/);
    assert.match(stderr, /FOGGY_DEBUG=1/);
    const body = JSON.parse(stdout);
    assert.deepEqual([body.ok, body.error.exitCode], [false, 70]);
  });
});

