# shellcheck shell=bash
# The full test run for ./run.sh test (sourced). Every stage runs; the summary says which failed.

STAGE_NAMES=()
STAGE_RESULTS=()
STAGE_SECONDS=()

# A stage that cannot run calls `cannot_run "<why>"` (exit status 77): it reads "skipped (<why>)" in the log and the
# summary, and counts as failed (a skip is not a pass).
STAGE_CANNOT_RUN=77

cannot_run() {
  printf '%s' "$1" >"$STAGE_WHY"
  return "$STAGE_CANNOT_RUN"
}

stage() {
  local name="$1"
  shift
  log "stage: $name"
  local start=$SECONDS rc=0 why
  STAGE_WHY="$(mktemp)"
  "$@" || rc=$?
  why="$(cat "$STAGE_WHY")"
  rm -f "$STAGE_WHY"
  STAGE_NAMES+=("$name")
  STAGE_SECONDS+=($((SECONDS - start)))
  if [ "$rc" = 0 ]; then
    STAGE_RESULTS+=(pass)
  elif [ "$rc" = "$STAGE_CANNOT_RUN" ] && [ -n "$why" ]; then
    printf 'skipped (%s): counted as failed\n' "$why" >&2
    STAGE_RESULTS+=("skipped ($why)")
  else
    STAGE_RESULTS+=("FAIL (exit $rc)")
  fi
}

# A stage whose tool is missing cannot run: it FAILS naming it (./run.sh install installs every tool; SKIP_APT=1 may
# leave one out).
shellcheck_scripts() {
  if ! command -v shellcheck >/dev/null 2>&1; then
    cannot_run 'shellcheck is not installed: Debian package shellcheck, ./run.sh install installs it'
    return
  fi
  shellcheck -x run.sh scripts/*.sh scripts/cluster/*.sh .ci/run
}

# Vitest in folder $1, then a check that no test was skipped or left as todo: a skipped test is not a pass.
vitest_no_skips() {
  local dir="$1" report rc=0
  report="$PWD/test-results/vitest-$(basename "$(cd "$dir" && pwd)").json"
  local log="${report%.json}.log"
  rm -f "$report"
  (cd "$dir" && npx vitest run --reporter=default --reporter=json --outputFile.json="$report") 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  [ -f "$report" ] || {
    printf 'vitest wrote no report (%s)\n' "$report" >&2
    return 1
  }
  [ "$rc" = 0 ] || vitest_failures "$report" "$log" >>"${FAILURES:-/dev/null}"
  # shellcheck disable=SC2016 # JavaScript, not shell: its template literals are not expansions
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const left = r.testResults.flatMap((f) =>
      f.assertionResults
        .filter((a) => a.status !== "passed" && a.status !== "failed")
        .map((a) => `  ${a.status}: ${require("path").relative(process.cwd(), f.name)} > ${a.fullName}`));
    if (left.length) {
      console.error(`${left.length} test(s) did not run (a skip is not a pass):\n${left.join("\n")}`);
      process.exit(1);
    }' "$report" || rc=1
  return "$rc"
}

# What failed, short, for the end of the output (a CI log is often read from its tail): each failed test with the
# first lines of its message, and vitest's unhandled errors (they fail a run whose tests all passed).
vitest_failures() {
  local report="$1" log="$2"
  # shellcheck disable=SC2016 # JavaScript, not shell: its template literals are not expansions
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const f of r.testResults) {
      const file = require("path").relative(process.cwd(), f.name);
      if (f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"))
        console.log(`  ${file}: ${(f.message || "failed outside its tests").split("\n").slice(0, 4).join("\n    ")}`);
      for (const a of f.assertionResults.filter((x) => x.status === "failed"))
        console.log(`  ${file} > ${a.fullName}\n    ${(a.failureMessages[0] ?? "").split("\n").slice(0, 4).join("\n    ")}`);
    }' "$report" | head -60
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -A 12 -E 'Unhandled (Errors|Rejection|Error)' | head -40 | sed 's/^/  /'
}

# Playwright, then the same check on its summary ("N skipped", "N did not run").
playwright_all() {
  local log=test-results/playwright.log rc=0
  npx playwright test 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || {
    rc=1
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^[[:space:]]+(✘|[0-9]+ (failed|flaky))' | head -30 >>"${FAILURES:-/dev/null}"
  }
  if sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^[[:space:]]+[0-9]+ (skipped|did not run)$' >&2; then
    printf 'Playwright skipped tests (a skip is not a pass); see %s\n' "$log" >&2
    rc=1
  fi
  return "$rc"
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
  FAILURES="$PWD/test-results/failures.txt"
  : >"$FAILURES"
  stage "lint (biome)" npx biome check --error-on-warnings .
  stage "lint (shellcheck)" shellcheck_scripts
  stage "typecheck" typecheck_all
  stage "boundaries (dependency-cruiser)" npm run --silent deps
  stage "audit (npm, production deps)" audit_dependencies
  stage "unit + integration (vitest)" vitest_no_skips .
  stage "webapp (vitest)" vitest_no_skips webapp
  # The three images built without Docker from their exact build contexts, then run read-only and unprivileged
  # (scripts/images/). The control center's `next build` there is the one e2e serves (--next-out .next).
  stage "images (build + run, no Docker)" npx tsx scripts/images/check.ts --next-out .next
  stage "e2e (playwright, chromium)" playwright_all

  stage_summary
}

# The table of stages; fails unless every stage passed (a skipped one did not).
stage_summary() {
  echo
  echo "Summary"
  local i failed=0
  for i in "${!STAGE_NAMES[@]}"; do
    printf '  %-32s %-16s %4ss\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_SECONDS[$i]}"
    [ "${STAGE_RESULTS[$i]}" = pass ] || failed=1
  done
  echo "  e2e screenshots and traces: test-results/e2e/, report: playwright-report/index.html"
  if [ -s "$FAILURES" ]; then
    echo
    echo "What failed (first lines; whole logs in test-results/):"
    cat "$FAILURES"
  fi
  return "$failed"
}
