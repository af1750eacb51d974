import { describe, expect, it } from 'vitest';
import { exactTime, percent, relativeTime, shortImage, sloThreshold, sloValue, versionTag } from './format';

const now = Date.parse('2025-01-01T12:00:00Z');

describe('relativeTime / exactTime', () => {
  it('reads like "4m ago", with the exact UTC time for the tooltip', () => {
    expect(relativeTime('2025-01-01T11:56:00Z', now)).toBe('4m ago');
    expect(relativeTime('2025-01-01T11:59:58Z', now)).toBe('just now');
    expect(relativeTime('2025-01-01T11:59:51Z', now)).toBe('just now');
    // Under a minute ago, in steps of 10 s; the future (a countdown) in seconds.
    expect(relativeTime('2025-01-01T11:59:50Z', now)).toBe('10s ago');
    expect(relativeTime('2025-01-01T11:59:01Z', now)).toBe('50s ago');
    expect(relativeTime('2025-01-01T11:59:00Z', now)).toBe('1m ago');
    expect(relativeTime('2025-01-01T12:00:07Z', now)).toBe('in 7s');
    expect(relativeTime('2025-01-01T12:00:03Z', now)).toBe('just now');
    expect(relativeTime('2024-12-30T12:00:00Z', now)).toBe('2d ago');
    expect(relativeTime('2025-01-01T12:02:00Z', now)).toBe('in 2m');
    expect(relativeTime(null, now)).toBe('—');
    expect(relativeTime('garbage', now)).toBe('—');
    expect(exactTime('2025-01-01T11:56:00.123Z')).toBe('2025-01-01 11:56:00 UTC');
  });
});

describe('numbers with units', () => {
  it('formats SLO values in their unit and thresholds with their direction', () => {
    expect(percent(0.996)).toBe('99.6 %');
    expect(percent(null)).toBe('—');
    expect(sloValue(0.004, 'ratio')).toBe('0.4 %');
    expect(sloValue(212.4, 'ms')).toBe('212 ms');
    expect(sloValue(1.5, 'rate-ratio')).toBe('1.5×');
    expect(sloThreshold('success-rate', 0.99, 'ratio')).toBe('≥ 99 %');
    expect(sloThreshold('latency-p95', 300, 'ms')).toBe('≤ 300 ms');
  });

  it('shortens images and finds the version tag the faults are keyed by', () => {
    expect(shortImage('registry.example.com:5000/team/webapp:v1.1@sha256:abc')).toBe('webapp:v1.1');
    expect(shortImage(null)).toBe('—');
    expect(versionTag('registry.example.com:5000/team/webapp:v1.1')).toBe('v1.1');
    expect(versionTag('webapp')).toBe('latest');
  });
});
