import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {displayCommand, resolveCommand} from '../../src/core/actions/command-line.js';
import {runProcess} from '../../src/core/actions/run-process.js';
import {OutputCapture} from '../../src/core/actions/output-capture.js';
import {tempDir} from '../support/temp.js';
import {waitFor} from '../support/cli.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('action runner', () => {
  const dir = tempDir();
  after(() => dir.remove());
  const base = {cwd: dir.path, env: process.env, timeoutMs: 5000};

  it('fills placeholders per argv element: a hostile ref stays one argument', async () => {
    const hostile = 'x; touch pwned-argv';
    const command = resolveCommand(['printf', '%s|', '{service}', '{ref}'], {verb: 'deploy', service: 'web', ref: hostile});
    assert.deepEqual(command.argv, ['printf', '%s|', 'web', hostile]);
    const result = await runProcess({...base, argv: command.argv, env: {...process.env, ...command.env}});
    assert.equal(result.output, `web|${hostile}|`);
    assert.equal(existsSync(join(dir.path, 'pwned-argv')), false);
    assert.equal(displayCommand(command), "printf '%s|' web 'x; touch pwned-argv'");
  });

  it('gives a shell string the input only as environment variables', async () => {
    const hostile = 'x; touch pwned-shell';
    const command = resolveCommand('echo "ref=$FOGGY_REF service=$FOGGY_SERVICE verb=$FOGGY_VERB {ref}"', {verb: 'deploy', service: 'web', ref: hostile});
    assert.deepEqual(command.argv.slice(0, 2), ['sh', '-c']);
    const result = await runProcess({...base, argv: command.argv, env: {...process.env, ...command.env}});
    assert.equal(result.exitCode, 0);
    assert.equal(result.output, `ref=${hostile} service=web verb=deploy {ref}\n`);
    assert.equal(existsSync(join(dir.path, 'pwned-shell')), false);
  });

  it('reports exit codes and commands that cannot start', async () => {
    const failed = await runProcess({...base, argv: ['sh', '-c', 'exit 7']});
    assert.equal(failed.exitCode, 7);
    const missing = await runProcess({...base, argv: ['definitely-not-a-command']});
    assert.equal(missing.spawnError, 'command not found: definitely-not-a-command');
  });

  it('on timeout stops the whole process tree: SIGTERM, then SIGKILL after the grace period', async () => {
    const pidFile = join(dir.path, 'grandchild.pid');
    // The child ignores SIGTERM, so only the SIGKILL after the grace period can end it; the grandchild sleeps.
    const script = `trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`;
    const started = Date.now();
    const result = await runProcess({...base, argv: ['sh', '-c', script], timeoutMs: 400, graceMs: 300});
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, 'SIGKILL');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(grandchild), `grandchild ${grandchild} to be killed`, 3000);
    assert.ok(Date.now() - started < 5000);
  });

  it('an abort signal (Ctrl-C) stops the tree and says so', async () => {
    const controller = new AbortController();
    // Ctrl-C once it runs: it said so.
    const result = await runProcess({...base, argv: ['sh', '-c', 'echo started; exec sleep 30'], signal: controller.signal, graceMs: 1000, onOutput: () => controller.abort()});
    assert.equal(result.interrupted, true);
    assert.equal(result.signal, 'SIGTERM');
  });

  it('keeps the head and tail of a multi-megabyte output in bounded memory', async () => {
    // 5 MB: 100,000 numbered lines of 50 bytes.
    const script = `for (let i = 0; i < 100000; i++) process.stdout.write(String(i).padStart(8, '0') + ' '.repeat(41) + '\\n');`;
    const result = await runProcess({...base, argv: [process.execPath, '-e', script]});
    assert.equal(result.exitCode, 0);
    assert.equal(result.outputBytes, 5_000_000);
    assert.equal(result.outputTruncated, true);
    assert.ok(result.output.length < 400 * 1024, `kept ${result.output.length} chars`);
    assert.ok(result.output.startsWith('00000000 '));
    assert.ok(result.output.trimEnd().endsWith('00099999'));
    assert.match(result.output, /\n… \d+ bytes of output omitted …\n\d{8} /);
  });

  it('OutputCapture keeps everything below its limits', () => {
    const capture = new OutputCapture(4, 8);
    capture.write(Buffer.from('abc'));
    capture.write(Buffer.from('defghi'));
    assert.equal(capture.text(), 'abcdefghi');
    assert.equal(capture.truncated, false);
    capture.write(Buffer.from('\njklmnop\nqrstuv'));
    assert.equal(capture.truncated, true);
    assert.equal(capture.totalBytes, 24);
    assert.equal(capture.text(), 'abcd\n… 14 bytes of output omitted …\nqrstuv');
  });
});
