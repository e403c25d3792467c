import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createMasker} from '../../src/core/mask/masker.js';
import {measureCorpus, readCorpus} from '../support/corpus.js';

/**
 * Masking measured: test/fixtures/secret-corpus.json (gitleaks' rule set turned into samples, and families of
 * foggy's own: key blocks, webhooks, base64-wrapped secrets, Kubernetes Secrets) must be masked, and
 * test/fixtures/negative-corpus.txt (what ops people need to read) left exactly as it is.
 */
describe('masking against a gitleaks-derived corpus', () => {
  const result = measureCorpus();

  it(`fully masks at least 97% of ${result.total} samples from ${result.rules} rules`, () => {
    const share = result.masked / result.total;
    assert.ok(share >= 0.97, `${(share * 100).toFixed(1)}% masked; rules with misses: ${result.missedRules.join(', ')}`);
  });

  it('covers every rule family: each has at least one sample fully masked', () => {
    assert.deepEqual(result.uncoveredRules, []);
  });

  it('touches none of the corpus negatives: SHAs, UUIDs, versions, digests, times, URLs, base64 of words', () => {
    assert.deepEqual(result.touched, []);
  });

  it('in a long output (scanned in one pass, not word by word) each rule masks what it masks alone', () => {
    const mask = createMasker();
    const {samples, negatives} = readCorpus();
    let padding = '';
    while (padding.length <= 20 * 1024) padding += `${negatives.join('\n')}\n`;
    const onePerRule = [...new Map(samples.filter((sample) => !mask(sample.text).includes(sample.secret)).map((sample) => [sample.rule, sample])).values()];
    assert.ok(onePerRule.length >= 200, `${onePerRule.length} rules`);
    assert.deepEqual(onePerRule.filter((sample) => mask(`${padding}${sample.text}`).includes(sample.secret)).map((sample) => sample.rule), []);
    assert.equal(mask(padding), padding);
  });
});

describe('masking leaves what ops people read byte for byte', () => {
  const lines = readFileSync(new URL('../fixtures/negative-corpus.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
  const mask = createMasker({env: {}});

  it(`${lines.length} lines of deploy, CI, kubectl, docker, terraform and system output`, () => {
    assert.ok(lines.length >= 500);
    assert.deepEqual(
      lines.filter((line) => mask(line) !== line),
      [],
    );
    // And as one long output, scanned in one pass.
    assert.equal(mask(lines.join('\n')), lines.join('\n'));
  });

  // The shapes that were masked before: key=value with a random-looking value, in every notation.
  const sha = '2ae656c4bc617106ec335380ac526a690c7c416a';
  const id = '578882ed-b8d7-4442-96fe-9018c58f27ca';
  const cases: [string, string][] = [
    ['GIT_COMMIT', sha],
    ['trace_id', id],
    ['revision', sha],
    ['GITHUB_SHA', sha],
    ['traceparent', `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`],
    ['deploy_id', '01HF8Z3Q7K9X2M4N6P8R0T2V4W'],
    ['span_id', '00f067aa0ba902b7'],
    ['chart_version', '8.30.2-rc.4+build.106'],
    ['BUILD_NUMBER', '20261125.7'],
    ['started_ns', '1764048135221999056'],
    ['image', `ghcr.io/acme/web@sha256:${'9b2f1e0d8c7a6b5f'.repeat(4)}`],
  ];
  for (const [key, value] of cases) {
    it(`${key}: ${value.slice(0, 24)}… in key=value, JSON, YAML and --flag value`, () => {
      for (const text of [`${key}=${value}`, `export ${key}=${value}`, `{"${key}":"${value}"}`, `${key}: ${value}`, `--${key.toLowerCase().replaceAll('_', '-')} ${value}`, `--${key.toLowerCase().replaceAll('_', '-')}=${value}`]) {
        assert.equal(mask(text), text);
      }
    });
  }

  it('a secret-named key still masks whatever its value looks like, and an address under it stays', () => {
    assert.equal(mask(`api_token=${sha}`), 'api_token=[masked]');
    assert.equal(mask(`client_secret: ${id}`), 'client_secret: [masked]');
    assert.equal(mask('kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/0dbe82ad-be0c-4f3b-9b99-4510eb59ca07"'), 'kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/0dbe82ad-be0c-4f3b-9b99-4510eb59ca07"');
    assert.equal(mask('token_url=https://auth.example.com/oauth/token'), 'token_url=https://auth.example.com/oauth/token');
  });
});
