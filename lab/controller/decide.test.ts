import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { loadCases, observedFor } from './fixtures';

const files = readdirSync(path.join(__dirname, 'testdata')).filter(
  (f) => f.endsWith('.yaml') && f !== 'base.yaml',
);

describe.each(files)('decide fixtures %s', (file) => {
  for (const c of loadCases(file)) {
    it(c.name, () => {
      const d = decide(observedFor(c));
      if (process.env.PRINT_DECISIONS)
        console.log(
          c.name,
          JSON.stringify({ actions: d.actions, status: d.status, requeueAfterMs: d.requeueAfterMs }, null, 1),
        );
      if (c.expect.actions) expect(d.actions).toMatchObject(c.expect.actions);
      const { conditions, ...status } = (c.expect.status ?? {}) as { conditions?: object[] };
      expect(d.status).toMatchObject(status);
      for (const cond of conditions ?? [])
        expect(d.status.conditions).toContainEqual(expect.objectContaining(cond));
      if (c.expect.requeueAfterMs !== undefined) expect(d.requeueAfterMs).toBe(c.expect.requeueAfterMs);
    });
  }
});
