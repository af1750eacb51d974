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
  install   Install what is missing: Debian packages (chromium, prometheus, hey, shellcheck, ...) and npm
            dependencies for the control center, webapp/ and loadgen/; then build webapp/ and loadgen/.
  test      Install what is missing, then run every check: lint, typecheck, unit and integration
            tests (real processes, real HTTP), the production build and the end-to-end tests in
            Chromium. Ends with a summary of every stage; exits non-zero if any failed. A skipped
            test fails its stage, and so does a missing tool (never a silent pass).
  lab       Start only the lab (the embedded one-machine cluster) in the foreground: Kubernetes API on
            https://127.0.0.1:6443 (kubeconfig in .lab/kubeconfig), gateway on :8081, Prometheus on :9090
            when installed. For scripts and tests.
  local     Install and build what is missing, start the lab and the control center (port 3300), apply
            manifests/app/ (namespace demo, Rollout webapp at webapp:v1.0), print the URLs. Ctrl-C stops all.
  canary-success
            Start load, set the Rollout's image to the other demo version (v1.0 <-> v1.1), follow it
            step by step with a live progress line, and print a summary (final phase, time taken).
  canary-failure
            The same with a canary-only fault (10 % errors): the analysis fails and the rollout aborts;
            the summary gives the time from fault to 100 % stable.
  status    Health report of every component (lab or cluster via KUBECONFIG) in about 10 s; for the kind
            cluster of `setup` also the registry, nodes, platform Deployments and the Argo CD Application.
  setup [--dry-run]
            The real-cluster path on a Docker laptop (~10 min): preflight (docker, kind, kubectl, istioctl or
            helm, cosign, >= 8 GB), then a local registry on localhost:5001, a 3-node kind cluster, Istio, Argo
            Rollouts, Argo CD, Prometheus, Grafana, Kiali; builds, pushes and signs webapp:v1.0, webapp:v1.1,
            loadgen and the control center; deploys the control center and the demo app. Idempotent; pinned
            versions in manifests/versions.env. --dry-run prints every command and changes nothing.
  dashboards [--dry-run]
            Port-forwards to the kind cluster: Argo CD 8080, Rollouts 3100, Grafana 3000, Kiali 20001,
            Prometheus 9090, control center 3300 (gateway: 127.0.0.1:8081); prints the Argo CD admin password.
            Ctrl-C stops them.
  cleanup [--yes] [--dry-run]
            Delete the kind cluster and the local registry (asks first unless --yes).
  bench     Run the benchmarks (npm run bench:*); results go to bench/results/.

Environment:
  LAB_DIR         the lab's state folder (default .lab/)
  LAB_API_PORT, LAB_GATEWAY_PORT, LAB_PROMETHEUS_PORT   the lab's ports (6443, 8081, 9090)
  PORT            the control center's port for ./run.sh local (default 3300)
  E2E_PORT        port for the control center during e2e tests (default 3310)
  SKIP_APT=1      do not install Debian packages (fail if they are missing)
  ISTIO_INSTALLER auto|istioctl|helm for setup (auto: istioctl when it is the pinned version, else helm)
  GITOPS_REPO_URL the Git URL Argo CD syncs the demo app from (default: this checkout's origin remote)
USAGE
}

cmd="${1:-help}"
shift || true
case "$cmd" in
  help | -h | --help) usage ;;
  install) install_all ;;
  lab)
    NO_TEST_SERVERS=1 install_all
    # shellcheck source=scripts/local.sh
    source "$ROOT/scripts/local.sh"
    run_lab_foreground
    ;;
  local)
    export NO_TEST_SERVERS=1
    # shellcheck source=scripts/local.sh
    source "$ROOT/scripts/local.sh"
    run_local
    ;;
  test)
    install_all
    # shellcheck source=scripts/test.sh
    source "$ROOT/scripts/test.sh"
    run_all_tests
    ;;
  canary-success | canary-failure)
    if [ -z "${KUBECONFIG:-}" ] && [ -f "$ROOT/.lab/kubeconfig" ]; then export KUBECONFIG="$ROOT/.lab/kubeconfig"; fi
    exec node --import tsx "$ROOT/scripts/canary/main.ts" "${cmd#canary-}"
    ;;
  status)
    # shellcheck source=scripts/status.sh
    source "$ROOT/scripts/status.sh"
    run_status
    if [ "$(kubectl config current-context 2>/dev/null || true)" = "kind-$(sed -n 's/^CLUSTER_NAME=//p' "$ROOT/manifests/versions.env")" ]; then
      # shellcheck source=scripts/cluster/status.sh
      source "$ROOT/scripts/cluster/status.sh"
      cluster_status
    fi
    ;;
  setup)
    # shellcheck source=scripts/cluster/setup.sh
    source "$ROOT/scripts/cluster/setup.sh"
    run_setup "$@"
    ;;
  dashboards)
    # shellcheck source=scripts/cluster/dashboards.sh
    source "$ROOT/scripts/cluster/dashboards.sh"
    run_dashboards "$@"
    ;;
  cleanup)
    # shellcheck source=scripts/cluster/cleanup.sh
    source "$ROOT/scripts/cluster/cleanup.sh"
    run_cleanup "$@"
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
