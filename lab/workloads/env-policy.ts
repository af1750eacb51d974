/**
 * The lab runs a pod's containers as local processes of the user who runs the lab, with no container around them.
 * A variable that changes how Node, the dynamic loader, a shell or another interpreter starts (what it loads, which
 * certificates it trusts, where it writes) would run the pod author's code as that user outside the pod. Such
 * variables are dropped before the process starts, as a cluster admission policy would refuse them; the pod runs
 * without them and a Warning event names them.
 */

/** Exact names (compared upper-cased). */
const DENIED_NAMES = new Set([
  // glibc: which resolver, charset converters, time zone files and allocator tunables load
  'GCONV_PATH',
  'GLIBC_TUNABLES',
  'HOSTALIASES',
  'LOCALDOMAIN',
  'RES_OPTIONS',
  'TZDIR',
  'NLSPATH',
  'LOCPATH',
  // shells: a startup file run by every non-interactive bash / sh, and the options they start with
  'BASH_ENV',
  'ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'IFS',
  'CDPATH',
  // OpenSSL: a config can load an engine or provider (code), and which CA certificates are trusted
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // other interpreters a pod's process may start
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'GIT_SSH_COMMAND',
  'GIT_EXEC_PATH',
  'EDITOR',
  'VISUAL',
  'PAGER',
]);

/** Name prefixes (compared upper-cased). */
const DENIED_PREFIXES = [
  // Node: NODE_OPTIONS (--require, --import, --inspect), NODE_PATH, NODE_EXTRA_CA_CERTS, NODE_TLS_REJECT_UNAUTHORIZED,
  // NODE_REPL_EXTERNAL_MODULE, NODE_V8_COVERAGE / NODE_REDIRECT_WARNINGS / NODE_COMPILE_CACHE (write where they point),
  // NODE_ICU_DATA, NODE_PRESERVE_SYMLINKS, NODE_USE_ENV_PROXY... every NODE_* but NODE_ENV
  'NODE_',
  'LD_', // the dynamic loader: LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, LD_DEBUG_OUTPUT...
  'DYLD_',
  'MALLOC_',
  'BASH_FUNC_', // exported shell functions
  'OPENSSL_', // OPENSSL_CONF, OPENSSL_ENGINES, OPENSSL_MODULES
  'PYTHON', // PYTHONPATH, PYTHONSTARTUP, PYTHONHOME, PYTHONINSPECT...
  'PERL5', // PERL5OPT, PERL5LIB, PERL5DB
  'PERLLIB',
  'PERLIO',
  'LUA_',
  'GIT_CONFIG',
];

/** Harmless in the lab's processes, though their prefix is denied. */
const ALLOWED = new Set(['NODE_ENV']);

/** What Kubernetes lets through as a name (printable ASCII but `=`, not empty); anything else cannot be a variable. */
const PRINTABLE_NAME = /^[\x20-\x3c\x3e-\x7e]+$/;

export function deniedEnvName(name: string): boolean {
  if (!PRINTABLE_NAME.test(name)) return true;
  const upper = name.toUpperCase();
  if (ALLOWED.has(upper)) return false;
  return DENIED_NAMES.has(upper) || DENIED_PREFIXES.some((p) => upper.startsWith(p));
}

/** Splits an environment into what the process gets and the names dropped (sorted). */
export function filterPodEnv(env: Record<string, string>): {
  env: Record<string, string>;
  dropped: string[];
} {
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (deniedEnvName(name)) dropped.push(name);
    else kept[name] = value;
  }
  return { env: kept, dropped: dropped.sort() };
}

/** The Warning event's message when variables were dropped. */
export function droppedEnvMessage(container: string, dropped: string[]): string {
  return (
    `Dropped env ${dropped.map((d) => JSON.stringify(d)).join(', ')} of container ${container}: ` +
    'lab policy: pods run as local processes, so variables that change how Node, the dynamic loader or a shell ' +
    'starts are not passed'
  );
}
