import { describe, expect, it } from 'vitest';
import { rolloutSummary, rolloutView } from './rollout-view';
import { loadFixtures } from './testdata/load-fixtures';

const fixtures = loadFixtures();

describe('rolloutView from YAML fixtures (testdata/)', () => {
  it('has at least 10 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, f) => {
    const view = rolloutView(f.rollout, f.ctx);
    expect(view).toMatchObject(f.expect);
    expect(view.namespace).toBe('demo');
    expect(view.name).toBe('webapp');
    if (f.stepStates) expect(view.steps.map((s) => s.state)).toEqual(f.stepStates);
    if (f.noResumesAt) expect(view.pause?.resumesAt).toBeUndefined();
    // The view is plain JSON: it survives the trip to the browser unchanged.
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('rolloutSummary', () => {
  it('is the overview row of the same view', () => {
    const f = fixtures.find((x) => x.file === 'analysis-running.yaml');
    if (!f) throw new Error('fixture missing');
    const s = rolloutSummary(f.rollout, f.ctx);
    expect(s).toEqual({
      namespace: 'demo',
      name: 'webapp',
      phase: 'Progressing',
      message: '',
      revision: 2,
      stableImage: 'webapp:v1.0',
      canaryImage: 'webapp:v1.1',
      step: { index: 3, total: 7 },
      setWeight: 30,
      actualWeight: 30,
      paused: false,
      aborted: false,
      needsAttention: false,
      createdAt: '2024-05-01T09:00:00Z',
      analysisPhase: 'Running',
    });
  });
});
