# shellcheck shell=bash
# ./run.sh status: a health report of every component, for the lab or a cluster (KUBECONFIG), in at most ~10 s.

status_line() {
  local name="$1" state="$2" detail="$3" colour
  case "$state" in
    ok) colour='\033[32m' ;;
    down) colour='\033[31m' ;;
    *) colour='\033[33m' ;;
  esac
  printf "  %-18s ${colour}%-6s\033[0m %s\n" "$name" "$state" "$detail"
}

probe_http() {
  local name="$1" url="$2" host="${3:-}" args=(-fsk -o /dev/null -w '%{http_code}' --max-time 2)
  [ -n "$host" ] && args+=(-H "Host: $host")
  local code
  code="$(curl "${args[@]}" "$url" 2>/dev/null || true)"
  if [ "${code:0:1}" = 2 ]; then status_line "$name" ok "$url"; else status_line "$name" down "$url (${code:-no answer})"; fi
}

run_status() {
  local kc="${KUBECONFIG:-}"
  if [ -z "$kc" ] && [ -f "$ROOT/.lab/kubeconfig" ]; then kc="$ROOT/.lab/kubeconfig"; fi
  echo "Status (KUBECONFIG=${kc:-default})"
  local k=(kubectl --request-timeout=3s)
  [ -n "$kc" ] && k+=(--kubeconfig "$kc")
  local server
  if server="$("${k[@]}" version -o json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).serverVersion.gitVersion)}catch{}})')" && [ -n "$server" ]; then
    status_line "Kubernetes API" ok "$("${k[@]}" config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null) ($server)"
    local ro
    ro="$("${k[@]}" get rollouts -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}={.status.phase} {end}' 2>/dev/null || true)"
    status_line "Rollouts" "$([ -n "$ro" ] && echo ok || echo none)" "${ro:-no rollouts found}"
    local pods
    pods="$("${k[@]}" get pods -n "${CANARY_NAMESPACE:-demo}" --no-headers 2>/dev/null | awk '{print $1" "$2" "$3}' | tr '\n' ';' || true)"
    status_line "Pods (demo)" "$([ -n "$pods" ] && echo ok || echo none)" "${pods:-none}"
  else
    status_line "Kubernetes API" down "not reachable with ${kc:-the default kubeconfig}"
  fi
  probe_http "Control center" "http://127.0.0.1:${PORT:-3300}/api/health"
  probe_http "Gateway" "http://127.0.0.1:${LAB_GATEWAY_PORT:-8081}/healthz" "webapp.local"
  probe_http "Prometheus" "${PROMETHEUS_URL:-http://127.0.0.1:${LAB_PROMETHEUS_PORT:-9090}}/-/ready"
}
