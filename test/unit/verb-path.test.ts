import assert from 'node:assert/strict';
import {lighterVerb} from '../../src/cli/verb-path.js';

describe('the verbs\' lighter path: which command lines take it', () => {
  const cases: [string[], string | undefined][] = [
    [['status', 'web'], 'status'],
    [['status'], 'status'],
    [['deploy', 'web', '--ref', 'v2', '--json'], 'deploy'],
    [['restart', 'db', '--yes'], 'restart'],
    [['rollback', 'web', '--to', 'v1'], 'rollback'],
    // oclif's own words go the whole way: help, the version.
    [['status', '--help'], undefined],
    [['deploy', 'web', '-h'], undefined],
    [['status', '--version'], undefined],
    [['status', '-v'], undefined],
    // After "--", a word is an argument, not oclif's.
    [['status', '--', '--help'], 'status'],
    // Anything else is oclif's: other commands, topics, nothing at all, a mistyped verb, an inherited name.
    [['log', 'show', 'x'], undefined],
    [['watch'], undefined],
    [[], undefined],
    [['statu', 'web'], undefined],
    [['toString'], undefined],
    [['constructor'], undefined],
  ];
  for (const [argv, expected] of cases) {
    it(`${JSON.stringify(argv)} → ${expected ?? 'the whole way'}`, () => assert.equal(lighterVerb(argv), expected));
  }
});
