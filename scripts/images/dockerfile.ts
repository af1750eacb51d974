/**
 * The instructions of a Dockerfile that a native build needs: stages (FROM ... AS name), WORKDIR, ENV, COPY, RUN,
 * USER, CMD and ENTRYPOINT. Line continuations (`\`), comments, parser directives and the JSON (exec) form are read as
 * the Dockerfile reference describes; EXPOSE, HEALTHCHECK, STOPSIGNAL, LABEL and ARG are kept as text only.
 */

export interface CopyInstruction {
  kind: 'COPY';
  from?: string;
  chown?: string;
  sources: string[];
  dest: string;
}

export type Instruction =
  | { kind: 'WORKDIR'; path: string }
  | { kind: 'ENV'; vars: Record<string, string> }
  | CopyInstruction
  | { kind: 'RUN'; command: string }
  | { kind: 'USER'; user: string }
  | { kind: 'CMD' | 'ENTRYPOINT'; argv: string[] }
  | { kind: 'OTHER'; keyword: string; text: string };

export interface Stage {
  /** `FROM <base>`: an image reference, or the name of an earlier stage. */
  base: string;
  name?: string;
  index: number;
  instructions: Instruction[];
}

const KNOWN_OTHER = new Set([
  'EXPOSE',
  'HEALTHCHECK',
  'STOPSIGNAL',
  'LABEL',
  'ARG',
  'VOLUME',
  'SHELL',
  'ONBUILD',
]);

/** Logical lines: comments dropped, `\` continuations joined (comment lines inside a continuation are skipped). */
export function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let current = '';
  let start = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) return;
    if (current === '' && trimmed === '') return;
    if (current === '') start = i + 1;
    if (/\\\s*$/.test(raw)) {
      current += `${raw.replace(/\\\s*$/, '')} `;
      return;
    }
    current += raw;
    out.push({ line: start, text: current.trim() });
    current = '';
  });
  if (current.trim() !== '') out.push({ line: start, text: current.trim() });
  return out;
}

/** Shell-like words of an instruction's arguments: whitespace-separated, with "..." and '...' quoting. */
export function words(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g;
  let word = '';
  let last = -1;
  for (const m of text.matchAll(re)) {
    const piece = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3] ?? '');
    if (last === m.index) word += piece;
    else {
      if (last !== -1) out.push(word);
      word = piece;
    }
    last = m.index + m[0].length;
  }
  if (last !== -1) out.push(word);
  return out;
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
  } catch {
    // not JSON: the shell form
  }
  return undefined;
}

function parseEnv(args: string): Record<string, string> {
  const w = words(args);
  if (w.length > 0 && !(w[0] as string).includes('=')) {
    // Legacy form: ENV KEY value with spaces
    const [key] = w;
    return { [key as string]: args.slice(args.indexOf(key as string) + (key as string).length).trim() };
  }
  const vars: Record<string, string> = {};
  for (const pair of w) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`ENV: expected KEY=value, got ${JSON.stringify(pair)}`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}

function parseCopy(args: string): CopyInstruction {
  const flags: string[] = [];
  let rest = args;
  for (let m = /^(--\S+)\s+/.exec(rest); m; m = /^(--\S+)\s+/.exec(rest)) {
    flags.push(m[1] as string);
    rest = rest.slice(m[0].length);
  }
  const paths = jsonArray(rest) ?? words(rest);
  const copy: CopyInstruction = { kind: 'COPY', sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' };
  for (const f of flags) {
    const [name, value] = f.slice(2).split('=', 2);
    if (name === 'from') copy.from = value;
    else if (name === 'chown') copy.chown = value;
    else if (name !== 'link' && name !== 'chmod') throw new Error(`COPY: unsupported flag --${name}`);
  }
  if (copy.sources.length === 0) throw new Error(`COPY needs a source and a destination: ${args}`);
  return copy;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { line, text: l } of logicalLines(text)) {
    const m = /^(\S+)\s*(.*)$/s.exec(l);
    if (!m) continue;
    const keyword = (m[1] as string).toUpperCase();
    const args = (m[2] as string).trim();
    const where = `Dockerfile line ${line}`;
    if (keyword === 'FROM') {
      const w = words(args).filter((x) => !x.startsWith('--'));
      const stage: Stage = { base: w[0] ?? '', index: stages.length, instructions: [] };
      if (w.length === 3 && w[1]?.toUpperCase() === 'AS') stage.name = w[2];
      else if (w.length !== 1) throw new Error(`${where}: FROM <image> [AS <name>], got ${args}`);
      stages.push(stage);
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`${where}: ${keyword} before the first FROM`);
    const push = (i: Instruction) => stage.instructions.push(i);
    switch (keyword) {
      case 'WORKDIR':
        push({ kind: 'WORKDIR', path: args });
        break;
      case 'ENV':
        push({ kind: 'ENV', vars: parseEnv(args) });
        break;
      case 'COPY':
        push(parseCopy(args));
        break;
      case 'RUN': {
        const exec = jsonArray(args);
        push({
          kind: 'RUN',
          command: exec ? exec.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ') : args,
        });
        break;
      }
      case 'USER':
        push({ kind: 'USER', user: args });
        break;
      case 'CMD':
      case 'ENTRYPOINT': {
        const argv = jsonArray(args);
        if (!argv) throw new Error(`${where}: ${keyword} in shell form; the images use the exec (JSON) form`);
        push({ kind: keyword, argv });
        break;
      }
      default:
        if (!KNOWN_OTHER.has(keyword)) throw new Error(`${where}: unsupported instruction ${keyword}`);
        push({ kind: 'OTHER', keyword, text: args });
    }
  }
  if (stages.length === 0) throw new Error('Dockerfile has no FROM');
  return stages;
}

/** Resolve `$VAR` and `${VAR}` in a value the way ENV/WORKDIR do, from the variables set so far. */
export function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
    return vars[(a ?? b) as string] ?? '';
  });
}
