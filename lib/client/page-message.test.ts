import { describe, expect, it } from 'vitest';
import { parsePageMessage } from './page-message';

const page = { view: null, events: [], faults: {}, runsVersion: '' };

describe('parsePageMessage', () => {
  it('reads the three messages and keeps only their own fields', () => {
    expect(parsePageMessage({ type: 'SNAPSHOT', key: 'demo/webapp', rev: 3, page, extra: 1 })).toEqual({
      type: 'SNAPSHOT',
      key: 'demo/webapp',
      rev: 3,
      page,
    });
    expect(
      parsePageMessage({ type: 'DELTA', key: 'demo/webapp', rev: 4, base: 3, patch: { runsVersion: '7' } }),
    ).toEqual({ type: 'DELTA', key: 'demo/webapp', rev: 4, base: 3, patch: { runsVersion: '7' } });
    expect(parsePageMessage({ type: 'UNCHANGED', key: 'demo/webapp', rev: 5, page })).toEqual({
      type: 'UNCHANGED',
      key: 'demo/webapp',
      rev: 5,
    });
  });

  it('refuses anything else', () => {
    for (const bad of [
      null,
      'SNAPSHOT',
      [],
      { type: 'SNAPSHOT', key: 'demo/webapp', rev: 3 },
      { type: 'SNAPSHOT', key: 'demo/webapp', rev: 3, page: [] },
      { type: 'SNAPSHOT', key: 'demo/webapp', rev: '3', page },
      { type: 'SNAPSHOT', rev: 3, page },
      { type: 'DELTA', key: 'demo/webapp', rev: 4, patch: {} },
      { type: 'DELTA', key: 'demo/webapp', rev: 4, base: 3, patch: null },
      { type: 'UNCHANGED', key: 'demo/webapp' },
      { type: 'ADDED', key: 'demo/webapp', rev: 1, page },
    ])
      expect(parsePageMessage(bad)).toBeNull();
  });
});
