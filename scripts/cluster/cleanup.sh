# shellcheck shell=bash
# ./run.sh cleanup [--yes] [--dry-run]: deletes the kind cluster and the local registry (with its images). Asks first
# unless --yes. The cosign key pair in $CLUSTER_STATE_DIR is kept (delete it by hand if you want new keys).

# shellcheck source=scripts/cluster/common.sh
source "$ROOT/scripts/cluster/common.sh"

run_cleanup() {
  parse_common_flags "$@"
  [ "$DRY_RUN" = 1 ] && echo "Dry run: the plan of ./run.sh cleanup (nothing is deleted)."
  if [ "$DRY_RUN" != 1 ] && [ "$ASSUME_YES" != 1 ]; then
    [ -t 0 ] || die "cleanup deletes kind cluster '$CLUSTER_NAME' and registry '$REGISTRY_NAME': pass --yes to confirm"
    local answer
    read -r -p "Delete kind cluster '$CLUSTER_NAME' and registry container '$REGISTRY_NAME' (images included)? [y/N] " answer
    case "$answer" in
      y | Y | yes | YES) ;;
      *)
        echo "Nothing deleted."
        return 0
        ;;
    esac
  fi
  if [ "$DRY_RUN" = 1 ] || kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
    run kind delete cluster --name "$CLUSTER_NAME"
  else
    echo "  kind cluster $CLUSTER_NAME: not there"
  fi
  if [ "$DRY_RUN" = 1 ] || docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
    run docker rm -f -v "$REGISTRY_NAME"
  else
    echo "  registry $REGISTRY_NAME: not there"
  fi
  log "cleanup done (cosign keys kept in $CLUSTER_STATE_DIR)"
}
