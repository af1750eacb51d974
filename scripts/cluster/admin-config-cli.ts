/**
 * Called by scripts/cluster/setup.sh and dashboards.sh (node --import tsx):
 *   admin-config-cli.ts check <configmap.yaml>                    how people will sign in, or "none"
 *   admin-config-cli.ts write <configmap.yaml> <current|-> <out>  writes the Secret's config.yaml (mode 600) and prints
 *                                                                 "configured|kept <how>" or "created <password>"
 *   admin-config-cli.ts sign-in <config.yaml>                     how people sign in with this file, or "none"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { controlCenterConfigSchema } from '../../lib/schemas/control-center-config';
import { adminConfig, configFromConfigMap, signIn } from './admin-config';

function usage(): never {
  console.error(
    'usage: admin-config-cli.ts check <configmap.yaml> | write <configmap.yaml> <current|-> <out> | sign-in <config.yaml>',
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const [cmd, a, b, c] = argv;
  if (cmd === 'check' && a) {
    process.stdout.write(`${signIn(configFromConfigMap(readFileSync(a, 'utf8')).config) ?? 'none'}\n`);
  } else if (cmd === 'write' && a && b && c) {
    const current = b === '-' ? null : readFileSync(b, 'utf8');
    const res = await adminConfig(readFileSync(a, 'utf8'), current);
    writeFileSync(c, res.text, { mode: 0o600 });
    process.stdout.write(
      res.action === 'created' ? `created ${res.password}\n` : `${res.action} ${res.how}\n`,
    );
  } else if (cmd === 'sign-in' && a) {
    const config = controlCenterConfigSchema.parse(parseDocument(readFileSync(a, 'utf8')).toJS() ?? {});
    process.stdout.write(`${signIn(config) ?? 'none'}\n`);
  } else {
    usage();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`admin-config: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
