import assert from 'node:assert/strict';
import {measureCorpus} from '../support/corpus.js';

/** Fails below 90% of the corpus's samples fully masked, or on any negative touched. */
describe('masking against a gitleaks-derived corpus', () => {
  const result = measureCorpus();

  it(`fully masks at least 90% of ${result.total} samples from ${result.rules} rules`, () => {
    const share = result.masked / result.total;
    assert.ok(share >= 0.9, `${(share * 100).toFixed(1)}% masked; rules with misses: ${result.missedRules.join(', ')}`);
  });

  it('touches none of the negatives: SHAs, UUIDs, versions, digests, times, URLs, base64 of words', () => {
    assert.deepEqual(result.touched, []);
  });
});
