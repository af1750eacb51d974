import { describe, expect, it } from 'vitest';
import { imageSuggestion, repositoryOf } from './image-suggestion';

describe('repositoryOf', () => {
  it.each([
    ['webapp:v1.0', 'webapp'],
    ['webapp', 'webapp'],
    ['localhost:5001/webapp:v1.0', 'localhost:5001/webapp'],
    ['localhost:5001/webapp', 'localhost:5001/webapp'],
    [
      `localhost:5001/control-center:0.1.0-0123456789ab@sha256:${'a'.repeat(64)}`,
      'localhost:5001/control-center',
    ],
    ['registry.example.com:5000/team/webapp:v1.1', 'registry.example.com:5000/team/webapp'],
  ])('%s -> %s', (image, repo) => {
    expect(repositoryOf(image)).toBe(repo);
  });
});

describe('imageSuggestion', () => {
  const revisions = (...images: string[]) => images.map((img, i) => ({ revision: i + 1, images: [img] }));

  it('on kind: the local registry of the running image, never a Docker Hub name', () => {
    const s = imageSuggestion('localhost:5001/webapp:v1.0', revisions('localhost:5001/webapp:v1.0'));
    expect(s).toEqual({ placeholder: 'localhost:5001/webapp:<tag>', candidates: [] });
  });

  it('in the lab: the bare name the lab runs', () => {
    expect(imageSuggestion('webapp:v1.0', []).placeholder).toBe('webapp:<tag>');
  });

  it("offers the rollout's other images, newest revision first, once each", () => {
    const s = imageSuggestion(
      'localhost:5001/webapp:v1.0',
      revisions(
        'localhost:5001/webapp:v1.0',
        'localhost:5001/webapp:v1.1',
        'localhost:5001/webapp:v1.2',
        'localhost:5001/webapp:v1.1',
      ),
    );
    expect(s.candidates).toEqual(['localhost:5001/webapp:v1.1', 'localhost:5001/webapp:v1.2']);
  });

  it('an unknown current image suggests no repository', () => {
    expect(imageSuggestion(null, [])).toEqual({ placeholder: null, candidates: [] });
  });
});
