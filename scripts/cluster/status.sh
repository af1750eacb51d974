# shellcheck shell=bash
# The kind cluster's part of ./run.sh status (called after scripts/status.sh when the current kubectl context is the
# kind cluster of ./run.sh setup): registry, nodes, each platform Deployment, the Argo CD Application. Quick: one
# kubectl call per line, 3 s timeout each.

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
}
