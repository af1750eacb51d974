/**
 * Docker's .dockerignore, as the build context sees it: the file's reading rules (comments, trimming, `!` exceptions,
 * Clean()ed paths, a leading `/` dropped) and its matcher (`*`, `?`, `[...]`, `**`, `\` escapes; a path is excluded
 * when it or one of its parent folders matches, and the last matching pattern wins).
 * Modelled on moby/patternmatcher (ignorefile.ReadAll, New, MatchesOrParentMatches, Pattern.compile).
 */
import path from 'node:path/posix';

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

interface Pattern {
  source: string;
  exclusion: boolean;
  type: MatchType;
  regexp?: RegExp;
}

/** The patterns of a .dockerignore file, in order (an exception keeps its leading `!`). */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let p = line.trim();
    if (p === '') continue;
    const invert = p.startsWith('!');
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = path.normalize(p).replace(/\/+$/, '') || '/';
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

// Characters a regular expression would read as special although a path pattern does not (patternmatcher's set).
const ESCAPED = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

function compile(source: string, exclusion: boolean): Pattern {
  let re = '^';
  let type: MatchType = 'exact';
  const chars = [...source];
  for (let i = 0, idx = 0; i < chars.length; i++, idx++) {
    const ch = chars[i] as string;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++; // `**/` is read as `**`
        if (i + 1 >= chars.length) {
          if (type === 'exact') type = 'prefix';
          else {
            re += '.*';
            type = 'regexp';
          }
        } else {
          re += '(.*/)?';
          type = 'regexp';
        }
        if (idx === 0) type = 'suffix';
      } else {
        re += '[^/]*';
        type = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      type = 'regexp';
    } else if (ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next !== undefined) {
        re += `\\${next}`;
        i++;
        type = 'regexp';
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
      type = 'regexp';
    } else {
      re += ch;
    }
  }
  if (type !== 'regexp') return { source, exclusion, type };
  try {
    return { source, exclusion, type, regexp: new RegExp(`${re}$`, 'u') };
  } catch {
    throw new Error(`.dockerignore: bad pattern ${JSON.stringify(source)}`);
  }
}

function matchOne(p: Pattern, file: string): boolean {
  switch (p.type) {
    case 'exact':
      return file === p.source;
    case 'prefix':
      return file.startsWith(p.source.slice(0, -2));
    case 'suffix': {
      const suffix = p.source.slice(2);
      if (file.endsWith(suffix)) return true;
      return suffix.startsWith('/') && file === suffix.slice(1);
    }
    case 'regexp':
      return p.regexp?.test(file) ?? false;
  }
}

export class IgnoreMatcher {
  private readonly patterns: Pattern[];
  /** True when some pattern is an exception (`!`): an excluded folder may then still hold included files. */
  readonly hasExceptions: boolean;

  constructor(lines: readonly string[]) {
    this.patterns = [];
    for (const raw of lines) {
      let p = raw.trim();
      if (p === '') continue;
      p = path.normalize(p).replace(/(.)\/+$/, '$1');
      const exclusion = p.startsWith('!');
      if (exclusion) {
        if (p.length === 1) throw new Error('.dockerignore: illegal exception pattern "!"');
        p = p.slice(1);
      }
      this.patterns.push(compile(p, exclusion));
    }
    this.hasExceptions = this.patterns.some((p) => p.exclusion);
  }

  static fromFile(text: string): IgnoreMatcher {
    return new IgnoreMatcher(readIgnoreFile(text));
  }

  /** Is this context-relative, slash-separated path left out of the build context? */
  excludes(file: string): boolean {
    const clean = path.normalize(file);
    if (clean === '.') return false;
    const parent = path.dirname(clean);
    const parentDirs = parent === '.' ? [] : parent.split('/');
    let matched = false;
    for (const p of this.patterns) {
      // An exclusion only matters once matched, an inclusion only while not matched.
      if (p.exclusion !== matched) continue;
      let match = matchOne(p, clean);
      for (let i = 0; !match && i < parentDirs.length; i++) {
        match = matchOne(p, parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
}
