#!/usr/bin/env bash
# The project's front door: ./run.sh help lists every command.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

usage() {
  cat <<'USAGE'
Usage: ./run.sh <command>

Commands:
  help      Show this help.
  install   Install what is missing: Debian packages (chromium, prometheus, hey) and npm
            dependencies for the control center, webapp/ and loadgen/; then build webapp/ and loadgen/.
  test      Install what is missing, then run every check: lint, typecheck, unit and integration
            tests (real processes, real HTTP), the production build and the end-to-end tests in
            Chromium. Ends with a summary of every stage; exits non-zero if any failed.
  bench     Run the benchmarks (npm run bench:*); results go to bench/results/.

Environment:
  E2E_PORT        port for the control center during e2e tests (default 3310)
  SKIP_APT=1      do not install Debian packages (fail if they are missing)
USAGE
}

cmd="${1:-help}"
shift || true
case "$cmd" in
  help | -h | --help) usage ;;
  install) install_all ;;
  test)
    install_all
    # shellcheck source=scripts/test.sh
    source "$ROOT/scripts/test.sh"
    run_all_tests
    ;;
  bench)
    install_all
    for b in $(node -e 'for (const k of Object.keys(require("./package.json").scripts)) if (k.startsWith("bench:")) console.log(k)'); do
      npm run --silent "$b"
    done
    ;;
  *)
    echo "run.sh: unknown command '$cmd'" >&2
    usage >&2
    exit 2
    ;;
esac
