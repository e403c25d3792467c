import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A fresh directory per test, removed afterwards. */
export function tempDir(prefix = 'foggy-test-'): {path: string; file(name: string, text: string): string; remove(): void} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name, text) {
      const target = join(path, name);
      writeFileSync(target, text);
      return target;
    },
    remove: () => rmSync(path, {recursive: true, force: true}),
  };
}
