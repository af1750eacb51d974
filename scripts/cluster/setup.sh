# shellcheck shell=bash
# ./run.sh setup [--dry-run]: the real-cluster path on a Docker laptop. Creates (idempotently, pinned versions from
# manifests/versions.env) a local registry on localhost:5001, a 3-node kind cluster wired to it, Istio, the Istio
# Prometheus/Grafana/Kiali addons plus the canary dashboard, Argo Rollouts + dashboard, Argo CD, then builds, pushes and
# signs (cosign) webapp:v1.0, webapp:v1.1, loadgen and the control center, deploys the control center and the demo app,
# and registers the demo app with Argo CD. With --dry-run it prints every command and changes nothing.
# The control center runs two replicas when DATABASE_URL (your PostgreSQL) is given, else one on SQLite.

# shellcheck source=scripts/cluster/common.sh
source "$ROOT/scripts/cluster/common.sh"

# shellcheck source=scripts/cluster/preflight.sh
source "$ROOT/scripts/cluster/preflight.sh"
# shellcheck source=scripts/cluster/images.sh
source "$ROOT/scripts/cluster/images.sh"

exists_kind_cluster() {
  [ "$DRY_RUN" = 1 ] && return 1
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"
}

kind_nodes() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "${CLUSTER_NAME}-control-plane ${CLUSTER_NAME}-worker ${CLUSTER_NAME}-worker2"
  else
    kind get nodes --name "$CLUSTER_NAME" | tr '\n' ' '
  fi
}

setup_registry() {
  if [ "$DRY_RUN" != 1 ] && [ "$(docker inspect -f '{{.State.Running}}' "$REGISTRY_NAME" 2>/dev/null || true)" = true ]; then
    echo "  registry $REGISTRY_NAME is running on $REGISTRY"
  elif [ "$DRY_RUN" != 1 ] && docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
    run docker start "$REGISTRY_NAME"
  else
    run docker run -d --restart=always -p "127.0.0.1:${REGISTRY_PORT}:5000" --network bridge --name "$REGISTRY_NAME" "$REGISTRY_IMAGE"
  fi
}

setup_cluster() {
  if exists_kind_cluster; then
    echo "  kind cluster $CLUSTER_NAME exists"
  else
    run kind create cluster --name "$CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --config "$ROOT/manifests/kind/cluster.yaml" --wait 300s
  fi
}

# The kind docs' registry wiring: hosts.toml per registry on every node, the registry on the kind network, and the
# KEP-1755 ConfigMap local-registry-hosting in kube-public.
wire_registry() {
  local node
  for node in $(kind_nodes); do
    run docker exec "$node" mkdir -p "/etc/containerd/certs.d/${REGISTRY}" /etc/containerd/certs.d/docker.io
    run_sh "docker exec -i $node cp /dev/stdin /etc/containerd/certs.d/${REGISTRY}/hosts.toml < manifests/kind/hosts/localhost-${REGISTRY_PORT}.toml"
    run_sh "docker exec -i $node cp /dev/stdin /etc/containerd/certs.d/docker.io/hosts.toml < manifests/kind/hosts/docker.io.toml"
  done
  if [ "$DRY_RUN" = 1 ] || [ "$(docker inspect -f '{{json .NetworkSettings.Networks.kind}}' "$REGISTRY_NAME" 2>/dev/null)" = null ]; then
    run docker network connect kind "$REGISTRY_NAME"
  fi
  kc apply -f "$ROOT/manifests/kind/local-registry-hosting.yaml"
}

install_istio() {
  if [ "${ISTIO_INSTALLER_CHOSEN:-}" = helm ]; then
    run helm repo add istio "$ISTIO_HELM_REPO" --force-update
    run helm upgrade --install istio-base istio/base --kube-context "$KUBE_CONTEXT" -n istio-system --create-namespace --version "$ISTIO_VERSION" --wait
    run helm upgrade --install istiod istio/istiod --kube-context "$KUBE_CONTEXT" -n istio-system --version "$ISTIO_VERSION" -f "$ROOT/manifests/istio/helm/istiod-values.yaml" --wait --timeout 10m
    run helm upgrade --install istio-ingressgateway istio/gateway --kube-context "$KUBE_CONTEXT" -n istio-system --version "$ISTIO_VERSION" -f "$ROOT/manifests/istio/helm/gateway-values.yaml" --wait --timeout 10m
  else
    run istioctl install --context "$KUBE_CONTEXT" -y -f "$ROOT/manifests/istio/istio-operator.yaml"
  fi
  wait_rollout istio-system deployment/istiod deployment/istio-ingressgateway
}

install_observability() {
  local addon
  for addon in prometheus grafana kiali; do
    kc apply -f "${ISTIO_ADDONS_URL}/${addon}.yaml"
  done
  kc apply -k "$ROOT/manifests/observability"
  kc -n istio-system patch deployment grafana --type strategic --patch-file "$ROOT/manifests/observability/grafana-deployment-patch.yaml"
  wait_rollout istio-system deployment/prometheus deployment/grafana deployment/kiali
}

install_argo_rollouts() {
  run_sh "kubectl --context $KUBE_CONTEXT create namespace argo-rollouts --dry-run=client -o yaml | kubectl --context $KUBE_CONTEXT apply -f -"
  kc apply -n argo-rollouts -f "${ARGO_ROLLOUTS_URL}/install.yaml"
  kc apply -n argo-rollouts -f "${ARGO_ROLLOUTS_URL}/dashboard-install.yaml"
  wait_rollout argo-rollouts deployment/argo-rollouts deployment/argo-rollouts-dashboard
}

install_argocd() {
  run_sh "kubectl --context $KUBE_CONTEXT create namespace argocd --dry-run=client -o yaml | kubectl --context $KUBE_CONTEXT apply -f -"
  kc apply -n argocd --server-side --force-conflicts -f "$ARGOCD_INSTALL_URL"
  kc -n argocd patch configmap argocd-cm --type merge --patch-file "$ROOT/manifests/argocd/argocd-cm-patch.yaml"
  wait_rollout argocd deployment/argocd-server deployment/argocd-repo-server statefulset/argocd-application-controller
}

# The judge token is shared by the control center (JUDGE_TOKEN) and the AnalysisTemplate (Secret demo/control-center-judge).
create_secrets() {
  kc apply -f "$ROOT/manifests/control-center/namespace.yaml"
  kc apply -f "$ROOT/manifests/app/00-namespace.yaml"
  local token=""
  if exists -n control-center secret control-center; then
    token="$(k -n control-center get secret control-center -o jsonpath='{.data.JUDGE_TOKEN}' | base64 -d)"
  else
    if [ "$DRY_RUN" = 1 ]; then token="<generated>"; else token="$(openssl rand -hex 24)"; fi
    run_secret "kubectl --context $KUBE_CONTEXT -n control-center create secret generic control-center --from-literal=AUTH_SECRET=<openssl rand -hex 32> --from-literal=JUDGE_TOKEN=<openssl rand -hex 24>" \
      "kubectl --context $KUBE_CONTEXT -n control-center create secret generic control-center --from-literal=AUTH_SECRET=$(openssl rand -hex 32) --from-literal=JUDGE_TOKEN=$token"
  fi
  if ! exists -n demo secret control-center-judge; then
    run_secret "kubectl --context $KUBE_CONTEXT -n demo create secret generic control-center-judge --from-literal=token=<JUDGE_TOKEN>" \
      "kubectl --context $KUBE_CONTEXT -n demo create secret generic control-center-judge --from-literal=token=$token"
  fi
}

# The shared store is brought, not run here: PostgreSQL in the cluster is out of scope. DATABASE_URL (postgres:// or
# postgresql://) in the environment goes to Secret control-center key DATABASE_URL; a re-run without it keeps the one
# stored. With it the control center runs two replicas (manifests/kind); without it one, on SQLite (manifests/kind-sqlite).
STORE=sqlite
check_database_url() {
  case "${DATABASE_URL:-}" in
    "" | postgres://* | postgresql://*) ;;
    *) die "DATABASE_URL must be a postgres:// or postgresql:// URL (e.g. postgres://user:password@host:5432/db)" ;;
  esac
}

store_database_url() {
  local current=""
  if exists -n control-center secret control-center; then
    current="$(k -n control-center get secret control-center -o jsonpath='{.data.DATABASE_URL}' | base64 -d)"
  fi
  if [ -n "${DATABASE_URL:-}" ]; then
    STORE=postgres
    if [ "$DATABASE_URL" = "$current" ]; then
      echo "  DATABASE_URL: unchanged in Secret control-center"
      return 0
    fi
    # As base64 in `data` (the URL may hold characters JSON or the shell would read), from a 0600 file removed
    # afterwards: on a command line the password would show in `ps`. printf is a builtin; base64 reads stdin.
    printf '+ %s\n' "kubectl --context $KUBE_CONTEXT -n control-center patch secret control-center --type merge --patch-file <0600 file: {\"data\":{\"DATABASE_URL\":\"<base64 of DATABASE_URL>\"}}>"
    if [ "$DRY_RUN" != 1 ]; then
      local patch
      patch="$(umask 077 && mktemp)"
      printf '{"data":{"DATABASE_URL":"%s"}}' "$(printf %s "$DATABASE_URL" | base64 | tr -d '\n')" >"$patch"
      if ! k -n control-center patch secret control-center --type merge --patch-file "$patch"; then
        rm -f "$patch"
        die "could not store DATABASE_URL in Secret control-center"
      fi
      rm -f "$patch"
    fi
    # The pods read it at start: a changed URL needs new pods.
    if [ -n "$current" ]; then CONFIG_CHANGED=1; fi
  elif [ -n "$current" ]; then
    STORE=postgres
    echo "  DATABASE_URL: the one in Secret control-center (set DATABASE_URL to change it)"
  fi
}

ADMIN_PASSWORD=""
CONFIG_CHANGED=0

# CONTROL_CENTER_CONFIG in the cluster: Secret control-center-config (the file may carry password hashes), made from
# manifests/control-center/configmap.yaml plus a first admin when that file has neither users nor OIDC. The password
# is printed once at the end of setup; a re-run keeps the admin of the current Secret.
create_control_center_config() {
  local cm="manifests/control-center/configmap.yaml" how
  how="$(node --import tsx "$ROOT/scripts/cluster/admin-config-cli.ts" check "$ROOT/$cm")" || die "$cm: not a valid CONTROL_CENTER_CONFIG"
  if [ "$how" = none ]; then
    echo "  $cm has no users and no OIDC: a first admin is created unless Secret control-center-config has one"
  else
    echo "  sign-in from $cm: $how"
  fi
  local tmp="" apply="kubectl --context $KUBE_CONTEXT -n control-center create secret generic control-center-config --from-file=config.yaml=<config.yaml> --dry-run=client -o yaml | kubectl --context $KUBE_CONTEXT apply -f -"
  if [ "$DRY_RUN" = 1 ]; then
    printf '+ %s\n' "node --import tsx scripts/cluster/admin-config-cli.ts write $cm <current config.yaml of Secret control-center-config> <config.yaml>"
    printf '+ %s\n' "$apply"
    return 0
  fi
  tmp="$(mktemp -d)"
  local current=- result
  if exists -n control-center secret control-center-config; then
    k -n control-center get secret control-center-config -o jsonpath='{.data.config\.yaml}' | base64 -d >"$tmp/current.yaml"
    current="$tmp/current.yaml"
  fi
  result="$(node --import tsx "$ROOT/scripts/cluster/admin-config-cli.ts" write "$ROOT/$cm" "$current" "$tmp/config.yaml")" || die "cannot write the control center config"
  case "$result" in
    created\ *) ADMIN_PASSWORD="${result#created }" && echo "  first admin created (password shown at the end, once)" ;;
    *) echo "  ${result#* } (${result%% *})" ;;
  esac
  if [ "$current" = - ] || ! cmp -s "$tmp/current.yaml" "$tmp/config.yaml"; then CONFIG_CHANGED=1; fi
  run_sh "${apply//<config.yaml>/$tmp/config.yaml}"
  rm -rf "$tmp"
}

# The control center's image is the content-tagged reference pinned by digest (images.sh): the rendered kind overlay
# names localhost:5001/control-center:${CONTROL_CENTER_TAG}, replaced on the way to kubectl apply.
deploy_control_center() {
  local ref="${CONTROL_CENTER_IMAGE_REF:-${REGISTRY}/control-center:${CONTROL_CENTER_TAG}}" existed=0 overlay=manifests/kind
  exists -n control-center deployment control-center && existed=1
  if [ "$STORE" = postgres ]; then
    echo "  two replicas sharing PostgreSQL (DATABASE_URL in Secret control-center), the recorder elected on a Lease"
  else
    overlay=manifests/kind-sqlite
    echo "  one replica: no DATABASE_URL, so the store is SQLite in the pod, which one process owns (two replicas would"
    echo "  each keep their own sessions and history). For two: DATABASE_URL=postgres://user:password@host:5432/db ./run.sh setup"
    # A PodDisruptionBudget left by an earlier two-replica setup would block every drain of the one pod.
    kc -n control-center delete poddisruptionbudget control-center --ignore-not-found
  fi
  run_sh "kubectl kustomize $overlay | sed 's#image: ${REGISTRY}/control-center:${CONTROL_CENTER_TAG}\$#image: ${ref}#' | kubectl --context $KUBE_CONTEXT apply -f -"
  if [ "$existed" = 1 ] && [ "$CONFIG_CHANGED" = 1 ]; then
    # The config is read at start: a changed Secret needs new pods (an image change alone rolls them already).
    kc -n control-center rollout restart deployment/control-center
  fi
  wait_rollout control-center deployment/control-center
}

# First setup applies the demo app; after that Argo CD owns it. A re-run never touches a canary in progress (paused,
# aborted or stepping) nor waits for it: it says what it found.
deploy_demo_app() {
  local state
  if exists -n demo rollout webapp; then
    state="$(k -n demo get rollout webapp -o json | node --import tsx "$ROOT/scripts/cluster/rollout-state.ts")" ||
      die "cannot read the state of rollout demo/webapp"
    case "$state" in
      healthy\ *) echo "  rollout demo/webapp exists and is Healthy (kept: Argo CD syncs it from Git)" ;;
      canary\ *)
        echo "  rollout demo/webapp: ${state#canary } -- left alone (promote, abort or retry it from the control center or kubectl argo rollouts)"
        ;;
      *) warn "rollout demo/webapp: ${state#* } (left alone; see ./run.sh status)" ;;
    esac
    return 0
  fi
  run_sh "kubectl --context $KUBE_CONTEXT apply -k manifests/demo/kind"
  wait_until "rollout demo/webapp is Healthy" 600 \
    "[ \"\$(kubectl --context $KUBE_CONTEXT -n demo get rollout webapp -o jsonpath='{.status.phase}')\" = Healthy ]"
}

gitops_repo_url() {
  if [ -n "${GITOPS_REPO_URL:-}" ]; then
    echo "$GITOPS_REPO_URL"
  elif command -v git >/dev/null 2>&1; then
    git -C "$ROOT" remote get-url origin 2>/dev/null || true
  fi
}

register_argocd_app() {
  local url
  url="$(gitops_repo_url)"
  if [ -z "$url" ] && [ "$DRY_RUN" = 1 ]; then
    url="<GITOPS_REPO_URL>"
  elif [ -z "$url" ]; then
    warn "no Git remote (set GITOPS_REPO_URL=<https URL Argo CD can clone>): the demo app is deployed but not under Argo CD"
    return 0
  fi
  run_sh "kubectl kustomize manifests/argocd | sed 's#repoURL: GITOPS_REPO_URL#repoURL: ${url}#' | kubectl --context $KUBE_CONTEXT apply -f -"
}

print_summary() {
  cat <<SUMMARY

Cluster ${CLUSTER_NAME} is ready ($(($(date +%s) - STARTED_AT)) s). Next:
  ./run.sh dashboards       port-forwards: Argo CD https://127.0.0.1:8080, Rollouts http://127.0.0.1:3100,
                            Grafana http://127.0.0.1:3000 (dashboard "Canary release"), Kiali http://127.0.0.1:20001,
                            Prometheus http://127.0.0.1:9090, control center http://127.0.0.1:3300
  Demo app                  http://127.0.0.1:8081/  (Host: webapp.local; curl -H 'Host: webapp.local' ...)
  export KUBECONFIG=\$(mktemp) && kind get kubeconfig --name ${CLUSTER_NAME} > "\$KUBECONFIG"
  ./run.sh canary-success   ./run.sh canary-failure   ./run.sh status (also verifies the running images' signatures)
  Images in ${REGISTRY}, signed by digest with ${CLUSTER_STATE_DIR}/cosign.key (public key: cosign.pub beside it)
SUMMARY
  if [ -n "$ADMIN_PASSWORD" ]; then
    cat <<LOGIN
  Control center login      admin / ${ADMIN_PASSWORD}
                            (shown once: only its argon2 hash is kept, in Secret control-center/control-center-config)
LOGIN
  fi
}

run_setup() {
  parse_common_flags "$@"
  cd "$ROOT" || die "cannot cd to $ROOT"
  [ "$DRY_RUN" = 1 ] && echo "Dry run: the plan of ./run.sh setup (nothing is changed)."
  check_database_url
  echo "Pinned: kind ${KIND_VERSION} (${KIND_NODE_IMAGE}), Istio ${ISTIO_VERSION}, Argo Rollouts ${ARGO_ROLLOUTS_VERSION}, Argo CD ${ARGOCD_VERSION}, Istio addons ${ISTIO_VERSION} (Prometheus, Grafana, Kiali), cosign ${COSIGN_VERSION}, ${REGISTRY_IMAGE}"
  STEPS=12
  step "preflight"
  preflight
  step "local registry ${REGISTRY} (${REGISTRY_IMAGE})"
  setup_registry
  step "kind cluster ${CLUSTER_NAME} (1 control plane + 2 workers)"
  setup_cluster
  step "registry wiring on every node (containerd config_path + hosts.toml)"
  wire_registry
  step "images: build, push to ${REGISTRY}, sign with cosign"
  build_push_sign_images
  step "Istio ${ISTIO_VERSION} (ingress gateway NodePort 30081 = 127.0.0.1:8081)"
  install_istio
  step "Prometheus, Grafana, Kiali (Istio ${ISTIO_VERSION} addons) + canary dashboard"
  install_observability
  step "Argo Rollouts ${ARGO_ROLLOUTS_VERSION} + dashboard"
  install_argo_rollouts
  step "Argo CD ${ARGOCD_VERSION}"
  install_argocd
  step "secrets (AUTH_SECRET, JUDGE_TOKEN, DATABASE_URL when given) and the control center config (sign-in)"
  create_secrets
  store_database_url
  create_control_center_config
  step "control center (${REGISTRY}/control-center, content tag, by digest)"
  deploy_control_center
  step "demo app (manifests/demo/kind) and its Argo CD Application"
  deploy_demo_app
  register_argocd_app
  print_summary
}
