import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {StoredSettings} from '../settings/settings.js';

const ONCE_IN_MS = 24 * 60 * 60 * 1000;

/**
 * The "recorded locally only" hint is useful once, noise the hundredth time: it is shown at most once a day
 * (the last time is kept in the state directory), and never when FOGGY_NO_CONNECT_HINT is set or the
 * settings say "connectHint": false.
 */
export function connectHintDue(options: {stateDir: string; env: NodeJS.ProcessEnv; settings: StoredSettings; now: Date}): boolean {
  if (options.settings.connectHint === false || (options.env.FOGGY_NO_CONNECT_HINT && options.env.FOGGY_NO_CONNECT_HINT !== '0')) return false;
  const file = join(options.stateDir, 'connect-hint');
  let last = Number.NaN;
  try {
    last = Date.parse(readFileSync(file, 'utf8').trim());
  } catch {
    // Never shown yet.
  }
  const now = options.now.getTime();
  // A time in the future (a clock set back) counts as long ago.
  if (Number.isFinite(last) && now - last >= 0 && now - last < ONCE_IN_MS) return false;
  try {
    writeFileSync(file, options.now.toISOString() + '\n', {mode: 0o600});
  } catch {
    // Cannot remember it: shown again next time, which is harmless.
  }
  return true;
}
