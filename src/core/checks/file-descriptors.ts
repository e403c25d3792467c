import {createRequire} from 'node:module';

/**
 * Open files the checks of a run may hold at once: the process's limit (ulimit -n) less what foggy itself
 * needs (the journal, Slack, its own pipes). A status of more services than that waits for descriptors
 * instead of failing its checks with "too many open files", which would say the services are down when
 * it is foggy that could not look.
 */
const RESERVE = 64;
const load = createRequire(import.meta.url);

let limit: number | undefined;
let used = 0;
const waiting: {count: number; start: () => void}[] = [];

function budget(): number {
  if (limit === undefined) {
    limit = Number.POSITIVE_INFINITY;
    try {
      const text = (load('node:fs') as typeof import('node:fs')).readFileSync('/proc/self/limits', 'utf8');
      const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
      if (soft && soft !== 'unlimited') limit = Math.max(4, Number(soft) - RESERVE);
    } catch {
      // No /proc (not Linux): no limit known, none applied.
    }
  }
  return limit;
}

/** Calls `start` once `count` descriptors are free for it (at once, usually); `release(count)` gives them back. */
export function whenDescriptorsFree(count: number, start: () => void): void {
  if (waiting.length === 0 && used + count <= budget()) {
    used += count;
    return start();
  }
  waiting.push({count, start});
}

export function releaseDescriptors(count: number): void {
  used -= count;
  while (waiting.length > 0 && used + waiting[0].count <= budget()) {
    const next = waiting.shift()!;
    used += next.count;
    next.start();
  }
}
