import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FakeSlack} from '../test/support/slack-server.js';
import {httpService} from '../test/support/servers.js';
const site = await httpService((_, r) => r.end('Hello'));
for (const root of ['/tmp/old', '/work/main']) {
  const slack = await new FakeSlack().start();
  const dir = mkdtempSync(join(tmpdir(), 'rss-'));
  writeFileSync(join(dir, 'foggy.yml'), `version: 1\nchannel: "#ops"\nservices:\n  web:\n    status:\n      - http: ${site.url}\n`);
  const env = {PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: join(dir, 's'), XDG_CACHE_HOME: join(dir, 'c'), XDG_CONFIG_HOME: join(dir, 'k'), FOGGY_BACKGROUND_FLUSH: '0', FOGGY_SLACK_TOKEN: 'xoxb-test-token-0001', FOGGY_SLACK_API_URL: slack.url, NODE_OPTIONS: '--import=/tmp/hb/exit-hook.mjs'};
  for (let i = 0; i < 3; i++) await new Promise((resolve) => spawn(process.execPath, [join(root, 'bin/run.js'), 'status', 'web'], {cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit']}).on('close', resolve));
  console.log(root);
  await slack.stop();
}
await site.close();
