import { describe, expect, it } from 'vitest';
import { attackCases } from '../src/check/attack-cases.js';
import { gradeCase } from '../src/check/grade-case.js';
import { parseJsonText } from '../src/events/parse-json-text.js';
import { DEFAULT_MIX, parseMix } from '../src/load/parse-mix.js';
import { summarizeLatency } from '../src/load/summarize-latency.js';
import { parseDuration } from '../src/options/parse-duration.js';
import { UsageError } from '../src/usage-error.js';

const caseNamed = (name: string) => {
  const found = attackCases.find((each) => each.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
};

describe('gradeCase()', () => {
  it('passes a required rejection on any 4xx, noting the recommended code when it differs', () => {
    expect(gradeCase(caseNamed('wrong secret'), { status: 401, body: '' })).toMatchObject({ result: 'pass' });
    expect(gradeCase(caseNamed('wrong secret'), { status: 403, body: '' })).toMatchObject({
      result: 'pass',
      note: 'advisory: 401 is the recommended status (statusForCode)',
    });
  });

  it('fails a required rejection answered 2xx or 5xx, with the risk and the fix', () => {
    expect(gradeCase(caseNamed('one byte changed'), { status: 200, body: '' })).toMatchObject({
      result: 'fail',
      risk: expect.stringContaining('altered after signing'),
      fix: expect.stringContaining('raw body'),
    });
    expect(gradeCase(caseNamed('stale timestamp (10 min old)'), { status: 500, body: '' }).risk).toContain(
      'tells Caleida to retry',
    );
  });

  it('only warns for an advisory case', () => {
    expect(gradeCase(caseNamed('wrong content type'), { status: 200, body: '' }).result).toBe('warn');
    expect(
      gradeCase(caseNamed('oversized body (1.06 MiB)'), { status: null, body: '', error: 'connection reset' })
        .result,
    ).toBe('pass');
  });

  it('grades a replay by what is visible: duplicate marker, 409, plain 2xx, or an error', () => {
    const replay = caseNamed('replayed id');
    expect(gradeCase(replay, { status: 200, body: '{"received":true,"duplicate":true}' })).toMatchObject({
      result: 'pass',
      got: '200 duplicate',
    });
    expect(gradeCase(replay, { status: 409, body: '' }).result).toBe('pass');
    expect(gradeCase(replay, { status: 204, body: '' }).result).toBe('unverified');
    expect(gradeCase(replay, { status: 500, body: '' }).result).toBe('fail');
  });
});

describe('parseJsonText()', () => {
  it('gives the line and column of the first syntax error', () => {
    expect(parseJsonText('{\n  "a": 1,\n  "b": [1, 2,]\n}')).toMatchObject({
      ok: false,
      failure: { line: 3, column: 14 },
    });
    expect(parseJsonText('{"a": "open')).toMatchObject({ ok: false, failure: { line: 1, column: 12 } });
    expect(parseJsonText(' {"a": [true, null, -1.5e3]} ')).toEqual({
      ok: true,
      value: { a: [true, null, -1500] },
    });
  });
});

describe('parseMix() and parseDuration()', () => {
  it('reads weights by type, and defaults to mostly messages', () => {
    expect(parseMix('message=3, chat=1')).toEqual([
      ['message', 3],
      ['chat', 1],
    ]);
    expect(parseMix(undefined)).toBe(DEFAULT_MIX);
    expect(() => parseMix('message=0')).toThrow(UsageError);
  });

  it('reads 30s, 500ms, 2m and bare seconds', () => {
    expect([
      parseDuration('30s', '--d'),
      parseDuration('500ms', '--d'),
      parseDuration('2m', '--d'),
      parseDuration('3', '--d'),
    ]).toEqual([30_000, 500, 120_000, 3_000]);
  });
});

describe('summarizeLatency()', () => {
  it('gives nearest-rank percentiles and the maximum', () => {
    const latencies = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summarizeLatency(latencies)).toEqual({ p50: 50, p90: 90, p99: 99, max: 100 });
    expect(summarizeLatency([])).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });
});
