import { replaceEqualDeep } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { shareByKey } from './share-by-key';

interface Entry {
  key: string;
  summary: string;
  details?: { n: number };
}

const entry = (key: string, summary = `${key} happened`, n = 1): Entry => ({ key, summary, details: { n } });
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const key = (e: Entry) => e.key;

describe('shareByKey', () => {
  it('keeps every older entry the same object when a new one comes first (a newest-first timeline)', () => {
    const prev = [entry('c'), entry('b'), entry('a')];
    const next = shareByKey(prev, copy([entry('d'), ...prev]), key);
    expect(next.map(key)).toEqual(['d', 'c', 'b', 'a']);
    expect(next[1]).toBe(prev[0]);
    expect(next[2]).toBe(prev[1]);
    expect(next[3]).toBe(prev[2]);
    expect(next).not.toBe(prev);
    // The query cache's own sharing pairs by index: there, every older entry would be a new object.
    expect(replaceEqualDeep(prev, copy([entry('d'), ...prev]))[1]).not.toBe(prev[0]);
  });

  it('gives back the previous list itself when the answer is equal', () => {
    const prev = [entry('b'), entry('a')];
    expect(shareByKey(prev, copy(prev), key)).toBe(prev);
  });

  it('makes a changed entry the new object, deep parts included', () => {
    const prev = [entry('b', 'b happened', 1), entry('a')];
    const next = shareByKey(prev, copy([entry('b', 'b happened', 2), entry('a')]), key);
    expect(next[0]).not.toBe(prev[0]);
    expect(next[0]?.details).toEqual({ n: 2 });
    expect(next[1]).toBe(prev[1]);
  });

  it('takes a cheaper sameness for items that never change once written', () => {
    const prev = [entry('b', 'b happened', 1), entry('a')];
    const sameSummary = (p: Entry, n: Entry) => p.summary === n.summary;
    const next = shareByKey(
      prev,
      copy([entry('c'), entry('b', 'b happened', 2), entry('a', 'a again')]),
      key,
      sameSummary,
    );
    expect(next[1]).toBe(prev[0]);
    expect(next[2]).not.toBe(prev[1]);
    expect(next[2]?.summary).toBe('a again');
  });

  it('follows entries that dropped off the end or moved, and a first answer as it came', () => {
    const prev = [entry('c'), entry('b'), entry('a')];
    const next = shareByKey(prev, copy([entry('a'), entry('c')]), key);
    expect(next).toEqual([entry('a'), entry('c')]);
    expect(next[0]).toBe(prev[2]);
    expect(next[1]).toBe(prev[0]);
    const first = [entry('x')];
    expect(shareByKey(undefined, first, key)).toBe(first);
  });
});
