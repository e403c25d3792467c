import {existsSync} from 'node:fs';
import {chromium, type Browser} from 'playwright-core';

/** Where the tests find Chromium: FOGGY_TEST_CHROMIUM, else Debian's package (npm test installs it when missing). */
export function chromiumPath(): string {
  const candidates = [process.env.FOGGY_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No Chromium found (looked at ${candidates.join(', ')}). npm test installs Debian's chromium package when it can (as root); else set FOGGY_TEST_CHROMIUM.`);
  return found;
}

/**
 * A headless Chromium for a test, in a throwaway profile (Playwright's own), with nothing reaching out of the
 * machine (these machines have no network beyond loopback: Chromium's background calls would only fail, slowly).
 */
export async function launchBrowser(): Promise<{browser: Browser; close(): Promise<void>}> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {browser, close: () => browser.close()};
}
