import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET, generateEventId, randomBase62 } from '../src/index.js';

const SAMPLE_CHARS = 600_000;
// The chi-square value a uniform source exceeds with probability about 1e-6, for 62 characters
// (61 degrees of freedom, Wilson-Hilferty). Mapping every byte with `% 62` scores about 3,900 here.
const CHI_SQUARE_BOUND = 129;

/** Pearson's chi-square of the characters' counts against 62 equally likely characters. */
function chiSquare(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  expect([...counts.keys()].every((char) => BASE62_ALPHABET.includes(char))).toBe(true);
  const expected = text.length / 62;
  let sum = 0;
  for (const char of BASE62_ALPHABET) sum += ((counts.get(char) ?? 0) - expected) ** 2 / expected;
  return sum;
}

describe('randomBase62()', () => {
  it('randomBase62(n) gives n base62 characters', () => {
    for (const length of [0, 1, 9, 20, 24, 5000]) {
      const chars = randomBase62(length);
      expect(chars).toHaveLength(length);
      expect(chars).toMatch(/^[0-9A-Za-z]*$/);
    }
  });

  it('gives every character the same chance (chi-square over 600,000 characters)', () => {
    let text = '';
    while (text.length < SAMPLE_CHARS) text += randomBase62(24);
    expect(chiSquare(text)).toBeLessThan(CHI_SQUARE_BOUND);
  });

  it('the same bound rejects mapping every random byte with % 62', () => {
    let text = '';
    for (const byte of randomBytes(SAMPLE_CHARS)) text += BASE62_ALPHABET[byte % 62];
    expect(chiSquare(text)).toBeGreaterThan(CHI_SQUARE_BOUND * 10);
  });

  it('rejects a length that is not a whole number, 0 or more', () => {
    for (const length of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => randomBase62(length)).toThrow(RangeError);
    }
  });
});

describe('generateEventId()', () => {
  it('makes evt_ and 24 base62 characters, a new one each time', () => {
    const ids = Array.from({ length: 20_000 }, () => generateEventId());
    for (const id of ids) expect(id).toMatch(/^evt_[0-9A-Za-z]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every character the same chance (chi-square over 600,000 characters)', () => {
    let text = '';
    while (text.length < SAMPLE_CHARS) text += generateEventId().slice(4);
    expect(chiSquare(text)).toBeLessThan(CHI_SQUARE_BOUND);
  });
});
