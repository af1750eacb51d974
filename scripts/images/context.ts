/**
 * The build context Docker sends: the context folder filtered by its .dockerignore, copied into a folder of its own.
 * Like BuildKit's walker, an excluded folder is skipped whole unless an exception (`!`) may bring part of it back.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { IgnoreMatcher } from './dockerignore';

export function contextMatcher(contextDir: string): IgnoreMatcher {
  const file = path.join(contextDir, '.dockerignore');
  return IgnoreMatcher.fromFile(existsSync(file) ? readFileSync(file, 'utf8') : '');
}

/** Copies what the build context holds into dest; returns the context-relative paths of the files copied. */
export function copyContext(contextDir: string, dest: string): string[] {
  const matcher = contextMatcher(contextDir);
  const copied: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(contextDir, rel);
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const excluded = matcher.excludes(childRel);
      if (entry.isDirectory()) {
        if (excluded && !matcher.hasExceptions) continue;
        if (!excluded) mkdirSync(path.join(dest, childRel), { recursive: true });
        walk(childRel);
        continue;
      }
      if (excluded) continue;
      const target = path.join(dest, childRel);
      mkdirSync(path.dirname(target), { recursive: true });
      if (entry.isSymbolicLink()) symlinkSync(readlinkSync(path.join(abs, entry.name)), target);
      else if (entry.isFile()) copyFileSync(path.join(abs, entry.name), target);
      else continue;
      copied.push(childRel);
    }
  };
  mkdirSync(dest, { recursive: true });
  walk('');
  return copied;
}
