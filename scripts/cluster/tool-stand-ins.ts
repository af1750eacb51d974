/**
 * Stand-in binaries for the tools setup reads versions from. kind, istioctl, helm, cosign and a Docker engine are not
 * installed where the tests run, so each stand-in prints, byte for byte, what the pinned release prints for the
 * command (testdata/tool-versions.yaml, with the upstream source of each) and refuses every other command.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const entrySchema = z.object({
  command: z.string().min(1),
  status: z.number().int().min(0),
  stderr: z.string().optional(),
  output: z.string(),
});
export type ToolOutput = z.infer<typeof entrySchema>;

export const TOOL_OUTPUTS: Record<string, ToolOutput> = z
  .object({ tools: z.record(z.string(), entrySchema) })
  .parse(parse(readFileSync(path.join(__dirname, 'testdata/tool-versions.yaml'), 'utf8'))).tools;

export function toolOutput(key: string): ToolOutput {
  const t = TOOL_OUTPUTS[key];
  if (!t) throw new Error(`no tool output ${key} in testdata/tool-versions.yaml`);
  return t;
}

const shQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * A folder of stand-ins, one per tool named by the entries' commands (several entries may share a tool), plus extra
 * scripts given as `tool -> bash body`. Put it first on PATH.
 */
export function standIns(keys: string[], extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-stand-ins-'));
  const byTool = new Map<string, string[]>();
  keys.forEach((key, i) => {
    const t = toolOutput(key);
    const [tool, ...args] = t.command.split(' ');
    if (!tool) throw new Error(`empty command for ${key}`);
    const out = path.join(dir, `${i}.out`);
    const err = path.join(dir, `${i}.err`);
    writeFileSync(out, t.output);
    writeFileSync(err, t.stderr ?? '');
    const arm = `  ${shQuote(args.join(' '))}) cat ${shQuote(out)}; cat ${shQuote(err)} >&2; exit ${t.status} ;;`;
    byTool.set(tool, [...(byTool.get(tool) ?? []), arm]);
  });
  for (const [tool, arms] of byTool) {
    const body = [
      '#!/usr/bin/env bash',
      `# stand-in for ${tool}: the pinned release's output for the commands below, nothing else`,
      'case "$*" in',
      ...arms,
      `  *) echo "stand-in ${tool}: unexpected arguments: $*" >&2; exit 97 ;;`,
      'esac',
      '',
    ].join('\n');
    writeFileSync(path.join(dir, tool), body);
    chmodSync(path.join(dir, tool), 0o755);
  }
  for (const [tool, script] of Object.entries(extra)) {
    writeFileSync(path.join(dir, tool), `#!/usr/bin/env bash\n${script}\n`);
    chmodSync(path.join(dir, tool), 0o755);
  }
  return dir;
}

/**
 * PATH for a run with the stand-ins: their folder, then only the system folders (/usr/bin, /bin) where node, kubectl,
 * openssl and the shell tools live, so no real docker/helm/istioctl of the machine (e.g. in /usr/local/bin) takes part.
 * A stand-in that is not created is a tool that is not installed.
 */
export function pathWith(dir: string): string {
  return [dir, '/usr/bin', '/bin'].join(':');
}
