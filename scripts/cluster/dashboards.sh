# shellcheck shell=bash
# ./run.sh dashboards [--dry-run]: port-forwards to every UI of the kind cluster (the seed's port map), prints the
# Argo CD admin password, keeps the forwards alive (a forward restarts when its pod is replaced) and stops them all on
# Ctrl-C. The Istio ingress gateway needs no forward: kind maps it to 127.0.0.1:8081.

# shellcheck source=scripts/cluster/common.sh
source "$ROOT/scripts/cluster/common.sh"

# name namespace service local-port:service-port url
DASHBOARD_FORWARDS=(
  "Argo-CD argocd argocd-server 8080:443 https://127.0.0.1:8080"
  "Argo-Rollouts argo-rollouts argo-rollouts-dashboard 3100:3100 http://127.0.0.1:3100/rollouts"
  "Grafana istio-system grafana 3000:3000 http://127.0.0.1:3000/d/canary"
  "Kiali istio-system kiali 20001:20001 http://127.0.0.1:20001/kiali"
  "Prometheus istio-system prometheus 9090:9090 http://127.0.0.1:9090"
  "Control-center control-center control-center 3300:3300 http://127.0.0.1:3300"
)

FORWARD_PIDS=()

stop_forwards() {
  local pid
  for pid in "${FORWARD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo
  log "port-forwards stopped"
}

# Keeps one kubectl port-forward running until the script ends.
forward_forever() {
  local ns="$1" svc="$2" ports="$3" child=""
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
  while true; do
    kubectl --context "$KUBE_CONTEXT" -n "$ns" port-forward --address 127.0.0.1 "svc/$svc" "$ports" >/dev/null 2>&1 &
    child=$!
    wait "$child" || true
    sleep 2
  done
}

# How to sign in to the control center: read from the config the pod mounts (Secret control-center-config).
control_center_login() {
  local reset="forgot it? kubectl --context $KUBE_CONTEXT -n control-center delete secret control-center-config, then ./run.sh setup prints a new one"
  printf '+ %s\n' "kubectl --context $KUBE_CONTEXT -n control-center get secret control-center-config -o jsonpath='{.data.config\\.yaml}' | base64 -d" >&2
  if [ "$DRY_RUN" = 1 ]; then
    echo "sign in as the config says (user admin: the password ./run.sh setup printed once; $reset)"
    return 0
  fi
  local tmp how
  tmp="$(mktemp)"
  if ! k -n control-center get secret control-center-config -o jsonpath='{.data.config\.yaml}' 2>/dev/null | base64 -d >"$tmp" 2>/dev/null || [ ! -s "$tmp" ]; then
    rm -f "$tmp"
    echo "no Secret control-center-config: run ./run.sh setup (it creates the first admin)"
    return 0
  fi
  how="$(node --import tsx "$ROOT/scripts/cluster/admin-config-cli.ts" sign-in "$tmp" 2>&1 || true)"
  rm -f "$tmp"
  case "$how" in
    none) echo "nobody can sign in: add auth.users or auth.oidc to manifests/control-center/configmap.yaml and re-run ./run.sh setup" ;;
    *"user admin (admin)"*) echo "sign in with $how; admin's password is the one ./run.sh setup printed once ($reset)" ;;
    *) echo "sign in with $how" ;;
  esac
}

run_dashboards() {
  parse_common_flags "$@"
  [ "$DRY_RUN" = 1 ] && echo "Dry run: the plan of ./run.sh dashboards (nothing is started)."
  local line name ns svc ports url
  if [ "$DRY_RUN" != 1 ]; then
    k get namespace argocd >/dev/null 2>&1 || die "no cluster at context $KUBE_CONTEXT: run ./run.sh setup first"
  fi
  printf '+ %s\n' "kubectl --context $KUBE_CONTEXT -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d"
  local password="(dry run)"
  if [ "$DRY_RUN" != 1 ]; then
    password="$(k -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' 2>/dev/null | base64 -d || true)"
    [ -n "$password" ] || password="(secret argocd-initial-admin-secret is gone: use the password you set)"
  fi
  local login
  login="$(control_center_login)"
  for line in "${DASHBOARD_FORWARDS[@]}"; do
    read -r name ns svc ports url <<<"$line"
    printf '+ %s\n' "kubectl --context $KUBE_CONTEXT -n $ns port-forward --address 127.0.0.1 svc/$svc $ports"
    if [ "$DRY_RUN" != 1 ]; then
      forward_forever "$ns" "$svc" "$ports" &
      FORWARD_PIDS+=($!)
    fi
  done
  echo
  for line in "${DASHBOARD_FORWARDS[@]}"; do
    read -r name ns svc ports url <<<"$line"
    printf '  %-16s %-38s (%s/%s, port %s)\n' "${name//-/ }" "$url" "$ns" "$svc" "${ports%%:*}"
  done
  printf '  %-16s %-38s (kind port mapping, Host: webapp.local)\n' "Demo app" "http://127.0.0.1:8081/"
  printf '  Argo CD login    admin / %s\n' "$password"
  printf '  Control center   %s\n' "$login"
  [ "$DRY_RUN" = 1 ] && return 0
  trap stop_forwards INT TERM
  echo "Ctrl-C stops the port-forwards."
  wait
}
