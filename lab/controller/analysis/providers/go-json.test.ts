import { describe, expect, it } from 'vitest';
import { goJsonMarshal } from './go-json';

/** Expected texts are what Go's encoding/json Marshal writes for the value json.Unmarshal gives for the input. */
describe('goJsonMarshal (Go encoding/json)', () => {
  it('a string keeps its quotes; numbers, booleans and null as JSON', () => {
    expect(goJsonMarshal('promote')).toBe('"promote"');
    expect(goJsonMarshal(0.5)).toBe('0.5');
    expect(goJsonMarshal(3)).toBe('3');
    expect(goJsonMarshal(1e21)).toBe('1e+21');
    expect(goJsonMarshal(1.5e-7)).toBe('1.5e-7');
    expect(goJsonMarshal(-0)).toBe('-0');
    expect(goJsonMarshal(true)).toBe('true');
    expect(goJsonMarshal(null)).toBe('null');
  });

  it('escapes HTML characters and line separators as Go does', () => {
    expect(goJsonMarshal('a<b>&"c"\n\u2028')).toBe('"a\\u003cb\\u003e\\u0026\\"c\\"\\n\\u2028"');
  });

  it('sorts object keys (a map) at every depth; arrays keep their order', () => {
    expect(goJsonMarshal(JSON.parse('{"z":1,"10":[{"b":2,"a":1}],"a":"x","2":null}'))).toBe(
      '{"10":[{"a":1,"b":2}],"2":null,"a":"x","z":1}',
    );
  });
});
