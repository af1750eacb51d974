# shellcheck shell=bash disable=SC2034
# Shared by scripts/cluster/*.sh (sourced after scripts/lib.sh): pinned versions, the dry-run runner, kubectl for the
# kind cluster, small waits with progress. Every command that changes something goes through run/run_sh, which print
# it first ("+ ...") and, with --dry-run, only print it.

# shellcheck source=manifests/versions.env
source "$ROOT/manifests/versions.env"

DRY_RUN="${DRY_RUN:-0}"
KUBE_CONTEXT="kind-${CLUSTER_NAME}"
ISTIO_ADDONS_URL="https://raw.githubusercontent.com/istio/istio/${ISTIO_VERSION}/samples/addons"
ARGO_ROLLOUTS_URL="https://github.com/argoproj/argo-rollouts/releases/download/${ARGO_ROLLOUTS_VERSION}"
ARGOCD_INSTALL_URL="https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml"
ISTIO_HELM_REPO="https://istio-release.storage.googleapis.com/charts"
REGISTRY="localhost:${REGISTRY_PORT}"
# The cosign key pair lives outside the work tree, so it can never be committed.
CLUSTER_STATE_DIR="${CLUSTER_STATE_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/control-center-kind}"

# Prints one argument list the way a shell would read it back (plain words stay plain).
PLAIN_WORD='^[A-Za-z0-9_./:=@,+%^<>-]+$'
quote_args() {
  local out="" a
  for a in "$@"; do
    if [[ "$a" =~ $PLAIN_WORD ]]; then out+="$a "; else out+="$(printf '%q' "$a") "; fi
  done
  printf '%s' "${out% }"
}

# run CMD ARGS...: print, then execute unless --dry-run.
run() {
  printf '+ %s\n' "$(quote_args "$@")"
  [ "$DRY_RUN" = 1 ] && return 0
  "$@"
}

# run_sh 'pipeline': print, then run it with bash (pipefail) unless --dry-run.
run_sh() {
  printf '+ %s\n' "$1"
  [ "$DRY_RUN" = 1 ] && return 0
  bash -o pipefail -c "$1"
}

# run_secret 'shown' 'real': like run_sh, but prints a redacted form of a command that carries a secret.
run_secret() {
  printf '+ %s\n' "$1"
  [ "$DRY_RUN" = 1 ] && return 0
  bash -o pipefail -c "$2"
}

# kubectl against the kind cluster, never whatever the current context happens to be.
k() { kubectl --context "$KUBE_CONTEXT" "$@"; }
kc() { run kubectl --context "$KUBE_CONTEXT" "$@"; }

# True (and quiet) when the object exists; in a dry run nothing exists yet, so the plan shows every creation.
exists() {
  [ "$DRY_RUN" = 1 ] && return 1
  k get "$@" >/dev/null 2>&1
}

STEP=0
STEPS=1
STARTED_AT="$(date +%s)"
step() {
  STEP=$((STEP + 1))
  log "[$STEP/$STEPS] $* ($(($(date +%s) - STARTED_AT)) s)"
}

# wait_rollout NAMESPACE KIND/NAME...: kubectl rollout status prints the progress of each.
wait_rollout() {
  local ns="$1" r
  shift
  for r in "$@"; do kc -n "$ns" rollout status "$r" --timeout=600s; done
}

# wait_until 'description' TIMEOUT_SECONDS 'shell test': polls every 3 s with a progress line.
wait_until() {
  local what="$1" timeout="$2" check="$3" start now
  printf '+ wait until %s (at most %s s): %s\n' "$what" "$timeout" "$check"
  [ "$DRY_RUN" = 1 ] && return 0
  start="$(date +%s)"
  until bash -o pipefail -c "$check" >/dev/null 2>&1; do
    now="$(date +%s)"
    if [ $((now - start)) -ge "$timeout" ]; then
      printf '\n'
      die "timed out after ${timeout} s waiting until $what"
    fi
    printf '\r  waiting until %s ... %s s' "$what" $((now - start))
    sleep 3
  done
  printf '\r  %s: done (%s s)%20s\n' "$what" $(($(date +%s) - start)) ''
}

# parse_common_flags "$@": sets DRY_RUN / ASSUME_YES; anything else is an error.
ASSUME_YES=0
parse_common_flags() {
  local a
  for a in "$@"; do
    case "$a" in
      --dry-run | -n) DRY_RUN=1 ;;
      --yes | -y) ASSUME_YES=1 ;;
      *) die "unknown option '$a' (options: --dry-run, --yes)" ;;
    esac
  done
}
