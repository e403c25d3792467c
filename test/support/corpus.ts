import {readFileSync} from 'node:fs';
import {createMasker} from '../../src/core/mask/masker.js';

/**
 * The masking measured against realistic secrets: test/fixtures/secret-corpus.json holds samples generated
 * from gitleaks' default rule set (each rule's pattern, with its key name and assignment, plus the same
 * inside a log line) and a negative set of random-looking text that is not secret
 * (scripts/secret-corpus.mjs builds it).
 */
interface Corpus {
  samples: {rule: string; text: string; secret: string}[];
  negatives: string[];
}

export function readCorpus(): Corpus {
  return JSON.parse(readFileSync(new URL('../fixtures/secret-corpus.json', import.meta.url), 'utf8')) as Corpus;
}

export function measureCorpus(mask = createMasker()): {masked: number; total: number; rules: number; missedRules: string[]; uncoveredRules: string[]; touched: string[]; negatives: number} {
  const corpus = readCorpus();
  const missed = corpus.samples.filter((sample) => mask(sample.text).includes(sample.secret));
  return {
    masked: corpus.samples.length - missed.length,
    total: corpus.samples.length,
    rules: new Set(corpus.samples.map((sample) => sample.rule)).size,
    missedRules: [...new Set(missed.map((sample) => sample.rule))],
    // Rules none of whose samples is masked.
    uncoveredRules: [...new Set(corpus.samples.map((sample) => sample.rule))].filter((rule) => corpus.samples.filter((sample) => sample.rule === rule).every((sample) => missed.includes(sample))),
    touched: corpus.negatives.filter((text) => mask(text) !== text),
    negatives: corpus.negatives.length,
  };
}

