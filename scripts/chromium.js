// The status page is tested in a real browser: Debian's Chromium, driven by playwright-core (whose own browser
// download cannot be reached from machines without internet). On a fresh machine it is installed here, once,
// so that npm test needs nothing else; a test never skips for want of it.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function ensureChromium() {
  if (process.env.FOGGY_TEST_CHROMIUM || CANDIDATES.some((path) => existsSync(path))) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error('The browser tests need Chromium: install it (Debian: apt-get install chromium), or set FOGGY_TEST_CHROMIUM to its executable.');
    return;
  }
  console.error("Installing Debian's chromium for the browser tests (once)…");
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {stdio: ['ignore', 'ignore', 'inherit'], env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], {stdio: ['ignore', 'ignore', 'inherit']});
    install();
  }
}
