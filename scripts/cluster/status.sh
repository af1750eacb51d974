# shellcheck shell=bash
# The kind cluster's part of ./run.sh status (called after scripts/status.sh when the current kubectl context is the
# kind cluster of ./run.sh setup): registry, nodes, each platform Deployment, the Argo CD Application, and the cosign
# signatures of our images running in demo and control-center. Quick: one kubectl call per line, 3 s timeout each.

# shellcheck source=scripts/cluster/common.sh
source "$ROOT/scripts/cluster/common.sh"

cluster_status() {
  local kq=(kubectl --context "$KUBE_CONTEXT" --request-timeout=3s)
  echo "Cluster (kind ${CLUSTER_NAME}, context ${KUBE_CONTEXT})"
  local reg
  reg="$(docker inspect -f '{{.State.Status}}' "$REGISTRY_NAME" 2>/dev/null || echo missing)"
  status_line "Registry" "$([ "$reg" = running ] && echo ok || echo down)" "$REGISTRY_NAME on $REGISTRY ($reg)"
  local nodes
  nodes="$("${kq[@]}" get nodes --no-headers 2>/dev/null | awk '{print $1"="$2}' | tr '\n' ' ' || true)"
  status_line "Nodes" "$([ -n "$nodes" ] && ! grep -q NotReady <<<"$nodes" && echo ok || echo down)" "${nodes:-none}"
  local item ns dep ready
  for item in istio-system/istiod istio-system/istio-ingressgateway istio-system/prometheus istio-system/grafana \
    istio-system/kiali argo-rollouts/argo-rollouts argo-rollouts/argo-rollouts-dashboard argocd/argocd-server \
    argocd/argocd-repo-server control-center/control-center; do
    ns="${item%%/*}"
    dep="${item#*/}"
    ready="$("${kq[@]}" -n "$ns" get deployment "$dep" -o jsonpath='{.status.readyReplicas}/{.spec.replicas}' 2>/dev/null || true)"
    if [ -n "$ready" ] && [ "${ready%%/*}" = "${ready#*/}" ]; then
      status_line "$dep" ok "$ns ready $ready"
    else
      status_line "$dep" down "$ns ready ${ready:-missing}"
    fi
  done
  local app
  app="$("${kq[@]}" -n argocd get application webapp -o jsonpath='{.status.sync.status}/{.status.health.status}' 2>/dev/null || true)"
  status_line "Argo CD app" "$([ "$app" = Synced/Healthy ] && echo ok || echo warn)" "webapp ${app:-not registered}"
  verify_running_signatures
}

# image_refs_to_verify: container imageIDs (one a line, as the kubelet reports them) -> the references setup signed,
# sorted and unique. Our images come from the local registry; `docker.io/library/loadgen` (the load Jobs' image name)
# is served from its mirror copy localhost:5001/library/loadgen. Other images (the Istio sidecar) are not ours.
image_refs_to_verify() {
  local id
  while IFS= read -r id; do
    id="${id#docker-pullable://}"
    case "$id" in
      "${REGISTRY}"/*@sha256:*) echo "$id" ;;
      docker.io/library/loadgen@sha256:*) echo "${REGISTRY}/library/loadgen@${id#*@}" ;;
    esac
  done | sort -u
}

# Verifies with the local public key (the one setup signed with) every image of ours running in demo and
# control-center: a line per image, down when the signature does not verify.
verify_running_signatures() {
  local pub="$CLUSTER_STATE_DIR/cosign.pub" ids refs ref others
  if [ ! -f "$pub" ]; then
    status_line "Signatures" warn "no public key $pub (./run.sh setup makes the key pair and signs)"
    return 0
  fi
  if ! command -v cosign >/dev/null 2>&1; then
    status_line "Signatures" warn "cosign is not installed: cannot verify the running images"
    return 0
  fi
  ids="$(for ns in demo control-center; do
    kubectl --context "$KUBE_CONTEXT" --request-timeout=3s -n "$ns" get pods \
      -o jsonpath='{range .items[*]}{range .status.initContainerStatuses[*]}{.imageID}{"\n"}{end}{range .status.containerStatuses[*]}{.imageID}{"\n"}{end}{end}' 2>/dev/null || true
  done | sed '/^$/d')"
  refs="$(image_refs_to_verify <<<"$ids")"
  others="$(sed '/^$/d' <<<"$ids" | sort -u | grep -c -v -e "^${REGISTRY}/" -e '^docker.io/library/loadgen@' || true)"
  if [ -z "$refs" ]; then
    status_line "Signatures" warn "no image of ${REGISTRY} running in demo or control-center"
    return 0
  fi
  while IFS= read -r ref; do
    if timeout 20 cosign verify --key "$pub" --insecure-ignore-tlog=true --allow-insecure-registry "$ref" -o text >/dev/null 2>&1; then
      status_line "Signature" ok "$ref verified with $pub"
    else
      status_line "Signature" down "${ref} does not verify with $pub"
    fi
  done <<<"$refs"
  [ "${others:-0}" -gt 0 ] && status_line "Signatures" info "${others} other image(s) running (not ours: not checked)"
  return 0
}
