import { describe, expect, it } from 'vitest';
import { parseEnv, redactDatabaseUrl } from './env';

describe('parseEnv', () => {
  it('accepts an empty environment and trims values', () => {
    expect(parseEnv({})).toEqual({});
    expect(parseEnv({ PROMETHEUS_URL: ' http://127.0.0.1:9090 ' }).PROMETHEUS_URL).toBe(
      'http://127.0.0.1:9090',
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ PROMETHEUS_URL: 'localhost:9090' })).toThrow(
      /PROMETHEUS_URL: PROMETHEUS_URL must be/,
    );
    expect(() => parseEnv({ JUDGE_TOKEN: 'short' })).toThrow(/JUDGE_TOKEN: .*at least 16/);
  });
});

describe('DATABASE_URL', () => {
  it('takes postgres:// and postgresql:// URLs', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://cc:pw@db.example:5432/cc' }).DATABASE_URL).toBe(
      'postgres://cc:pw@db.example:5432/cc',
    );
    expect(parseEnv({ DATABASE_URL: ' postgresql://cc@db/cc?sslmode=require ' }).DATABASE_URL).toBe(
      'postgresql://cc@db/cc?sslmode=require',
    );
    expect(parseEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('refuses other schemes naming the variable, without echoing the password', () => {
    for (const bad of [
      'mysql://cc:s3cret@db/cc',
      'http://cc:s3cret@db/cc',
      'cc:s3cret@db/cc',
      'postgres://cc:s3cret@db/c c',
    ]) {
      let message = '';
      try {
        parseEnv({ DATABASE_URL: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/DATABASE_URL: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
      expect(message).not.toContain('s3cret');
    }
  });

  it.each([
    ['postgres://u@h/db?password=secret', 'postgres://u@h/db?password=***'],
    [
      'postgres://u@h/db?sslmode=require&sslpassword=secret',
      'postgres://u@h/db?sslmode=require&sslpassword=***',
    ],
    [
      'postgres://u:secret@h/db?Password=secret&PASSWORD=secret',
      'postgres://u:***@h/db?Password=***&PASSWORD=***',
    ],
    ['postgres://u@h/db?password=a&password=secret', 'postgres://u@h/db?password=***'],
    ['postgres://u@h/db?sslkey=/etc/pg/key.pem', 'postgres://u@h/db?sslkey=/etc/pg/key.pem'],
  ])('redacts secret query parameters: %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
    expect(redactDatabaseUrl(url)).not.toContain('secret');
  });

  it('redacts the password for logs', () => {
    expect(redactDatabaseUrl('postgres://cc:s3cret@db.example:5432/cc')).toBe(
      'postgres://cc:***@db.example:5432/cc',
    );
    expect(redactDatabaseUrl('postgres://db.example/cc')).toBe('postgres://db.example/cc');
    expect(redactDatabaseUrl('not a url s3cret')).not.toContain('s3cret');
  });
});
