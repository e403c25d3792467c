// Preloaded into a process under benchmark (node --expose-gc --import bench/heap-probe.mjs …): on SIGUSR2 it
// collects garbage fully and writes the memory in use to HEAP_PROBE_FILE. What a long-running process keeps
// is the heap after a full GC; resident memory also holds what V8 has not yet bothered to collect.
import {writeFileSync} from 'node:fs';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  writeFileSync(process.env.HEAP_PROBE_FILE, JSON.stringify({...process.memoryUsage(), at: Date.now()}));
});
