import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

// Runs before each test file's own imports. Files run two at a time, so each gets its own audit/timeline database
// folder (never a folder shared with the file running beside it, never the developer's `.data/`).
const dataDir = mkdtempSync(path.join(tmpdir(), 'cc-test-data-'));
process.env.CONTROL_CENTER_DATA_DIR = dataDir;

// Registered first, so it runs after the file's own afterAll hooks (which close the runtime and its database).
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
