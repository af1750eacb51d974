import { describe, expect, it } from 'vitest';
import { measurementText } from './measurement-value';

describe('measurementText', () => {
  it('decodes a JSON string as Argo’s web provider stores it', () => {
    expect(measurementText('"promote"')).toBe('promote');
    expect(measurementText('"a \\"b\\" \\u003cc\\u003e"')).toBe('a "b" <c>');
    expect(measurementText('""')).toBe('');
  });

  it('returns any other text as it is', () => {
    expect(measurementText('promote')).toBe('promote');
    expect(measurementText('0.5')).toBe('0.5');
    expect(measurementText('[0.01]')).toBe('[0.01]');
    expect(measurementText('{"verdict":"pause"}')).toBe('{"verdict":"pause"}');
    expect(measurementText('"not closed')).toBe('"not closed');
    expect(measurementText('"a" and "b"')).toBe('"a" and "b"');
    expect(measurementText('"')).toBe('"');
    expect(measurementText('')).toBe('');
  });
});
