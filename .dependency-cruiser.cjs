/**
 * The boundaries of the code, checked by `./run.sh test` (stage "deps": `npm run deps`).
 *
 * - lib/ is pure and shared with the browser: it imports nothing of server/, app/, components/ or the lab.
 * - components/ (browser code) imports no server code.
 * - The control center imports the lab only from tests, test support (`testing/` folders), e2e/ and bench/, and only
 *   through the lab's one test entry (lab/testing/index.ts, the package `@control-center/lab/testing`).
 * - The lab imports nothing of the control center (it may use support/ and the demo packages).
 * - support/ (private-file modes, test tooling) imports nothing of the control center or the lab.
 * - No import loops (dynamic imports count; a loop made only of type imports is harmless and allowed): the server's
 *   parts are wired in one place, its composition root (server/runtime/runtime.ts), not by modules reaching round.
 */
const CONTROL_CENTER = '^(app|components|lib|server|scripts|bench|e2e|proxy\\.ts|instrumentation\\.ts)';
const TESTS = '(\\.test\\.tsx?$|\\.spec\\.ts$|/testing/|^e2e/|^bench/)';

module.exports = {
  forbidden: [
    {
      name: 'lib-is-pure',
      comment: 'lib/ is shared with the browser and pure: no server, route, component or lab code.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(server|app|components|lab)/' },
    },
    {
      name: 'components-no-server',
      comment: 'Browser components import no server code (contract types live in lib/).',
      severity: 'error',
      from: { path: '^components/' },
      to: { path: '^(server|lab)/' },
    },
    {
      name: 'lab-only-from-tests',
      comment: 'Only tests, test support, e2e/ and bench/ may use the lab.',
      severity: 'error',
      from: { path: CONTROL_CENTER, pathNot: TESTS },
      to: { path: '^lab/' },
    },
    {
      name: 'lab-only-through-its-test-entry',
      comment:
        'The control center uses the lab through @control-center/lab/testing only, never its internals.',
      severity: 'error',
      from: { path: CONTROL_CENTER },
      to: { path: '^lab/', pathNot: '^lab/testing/index\\.ts$' },
    },
    {
      name: 'lab-is-its-own-package',
      comment: 'The lab imports nothing of the control center.',
      severity: 'error',
      from: { path: '^lab/' },
      to: { path: CONTROL_CENTER },
    },
    {
      name: 'support-stands-alone',
      comment: 'support/ is shared by the control center and the lab, so it imports neither.',
      severity: 'error',
      from: { path: '^support/' },
      to: { path: `${CONTROL_CENTER}|^lab/` },
    },
    {
      name: 'no-import-loops',
      comment:
        'A module may not reach itself through its imports (static or dynamic); wire parts in the composition root.',
      severity: 'error',
      from: {},
      to: {
        circular: true,
        dependencyTypesNot: ['type-only'],
        viaOnly: { dependencyTypesNot: ['type-only'] },
      },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve would hide a boundary crossing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.next|dist|test-results|playwright-report|bench/results)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
