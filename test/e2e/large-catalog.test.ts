import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {closedPort} from '../support/servers.js';
import {slackWorld} from '../support/world.js';

/** A status of a thousand services: a message Slack accepts, a compact journal record, the detail in the thread. */
describe('a large catalog', function () {
  this.timeout(60_000);
  const world = slackWorld({
    env: {FOGGY_MIRROR_BUDGET: '5s'},
    catalog: async (url) => {
      const down = await closedPort();
      const services = Array.from({length: 1000}, (_, i) => `  svc${String(i).padStart(4, '0')}:\n    status:\n      - ${i % 100 === 7 ? `tcp: 127.0.0.1:${down}` : `http: ${url}`}\n`).join('');
      return `version: 1\nchannel: "#ops"\nservices:\n${services}`;
    },
  });

  it('status of 1,000 services, 10 down: one compact message, the full report in the thread, no API error', async () => {
    const result = await world.sandbox.run(['status', '--json']);
    assert.equal(result.code, 1, result.stderr);
    const printed = JSON.parse(result.stdout);
    assert.equal(printed.services.length, 1000, '--json still prints every service');
    assert.deepEqual(world.slack.calls.filter((call) => call.error || call.status !== 200), []);

    const [root] = world.slack.posts();
    assert.equal(world.slack.posts().length, 1);
    assert.match(root.blocks![0].text!.text, /\*status\* 1,000 services by .*: \*failed\* \(10 of 1,000 down\)/);
    const listed = JSON.stringify(root.blocks);
    assert.match(listed, /svc0007/);
    assert.match(listed, /and 990 more services up/);
    assert.deepEqual(root.metadata!.event_payload.statusCounts, {total: 1000, up: 990, down: 10});

    const [tail, file] = world.slack.replies(root.ts);
    assert.match(tail.blocks![1].text!.text, /DOWN svc0907 .*connection refused/);
    const report = file.files![0].content.toString();
    assert.equal(report.trim().split('\n').length, 1001);
    assert.match(report, /^1000 services: 990 up, 10 down$/m);

    const end = readFileSync(world.sandbox.journal.file, 'utf8').split('\n').find((line) => line.includes('"kind":"end"'))!;
    assert.ok(end.length < 8_000, `the end record is ${end.length} characters`);
  });
});
