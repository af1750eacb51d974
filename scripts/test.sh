# shellcheck shell=bash
# The full test run for ./run.sh test (sourced). Every stage runs; the summary says which failed.

STAGE_NAMES=()
STAGE_RESULTS=()
STAGE_SECONDS=()

stage() {
  local name="$1"
  shift
  log "stage: $name"
  local start=$SECONDS rc=0
  "$@" || rc=$?
  STAGE_NAMES+=("$name")
  STAGE_SECONDS+=($((SECONDS - start)))
  if [ "$rc" = 0 ]; then STAGE_RESULTS+=(pass); else STAGE_RESULTS+=("FAIL (exit $rc)"); fi
}

shellcheck_scripts() {
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -x run.sh scripts/*.sh .ci/run
  else
    warn "shellcheck not installed; skipping the shell lint"
  fi
}

# Stage functions run inside `||` (errexit is off there): each failure is checked explicitly.
typecheck_all() {
  local rc=0 pkg
  npx tsc --noEmit || rc=1
  for pkg in webapp loadgen; do
    if [ -f "$pkg/tsconfig.json" ]; then (cd "$pkg" && npx tsc --noEmit -p .) || rc=1; fi
  done
  return "$rc"
}

webapp_tests() { (cd webapp && npm test --silent); }

# Known advisories in the production dependencies: a high or critical one fails the stage. When the registry's
# audit endpoint itself cannot be asked (offline, a mirror without it: npm says "audit endpoint returned an
# error"), the stage only warns; README "Security advisories" has the hand check for that case.
audit_dependencies() {
  local out rc=0
  out=$(npm audit --omit=dev --audit-level=high 2>&1) || rc=$?
  printf '%s\n' "$out"
  if [ "$rc" != 0 ] && grep -q 'audit endpoint returned an error' <<<"$out"; then
    warn "npm audit could not reach the registry's audit endpoint: dependencies NOT checked for advisories"
    return 0
  fi
  return "$rc"
}

run_all_tests() {
  mkdir -p test-results
  stage "lint (biome)" npx biome check --error-on-warnings .
  stage "lint (shellcheck)" shellcheck_scripts
  stage "typecheck" typecheck_all
  stage "audit (npm, production deps)" audit_dependencies
  stage "unit + integration (vitest)" npx vitest run
  stage "webapp (vitest)" webapp_tests
  stage "build (next)" npm run --silent build
  stage "e2e (playwright, chromium)" npx playwright test

  echo
  echo "Summary"
  local i failed=0
  for i in "${!STAGE_NAMES[@]}"; do
    printf '  %-32s %-16s %4ss\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_SECONDS[$i]}"
    [ "${STAGE_RESULTS[$i]}" = pass ] || failed=1
  done
  echo "  e2e screenshots and traces: test-results/e2e/, report: playwright-report/index.html"
  return "$failed"
}
