# shellcheck shell=bash
# ./run.sh setup [--dry-run]: the real-cluster path on a Docker laptop. Creates (idempotently, pinned versions from
# manifests/versions.env) a local registry on localhost:5001, a 3-node kind cluster wired to it, Istio, the Istio
# Prometheus/Grafana/Kiali addons plus the canary dashboard, Argo Rollouts + dashboard, Argo CD, then builds, pushes and
# signs (cosign) webapp:v1.0, webapp:v1.1, loadgen and the control center, deploys the control center and the demo app,
# and registers the demo app with Argo CD. With --dry-run it prints every command and changes nothing.

# shellcheck source=scripts/cluster/common.sh
source "$ROOT/scripts/cluster/common.sh"

MIN_MEMORY_BYTES=8000000000

preflight_fail() {
  if [ "$DRY_RUN" = 1 ]; then
    warn "preflight: $* (a real run stops here)"
  else
    die "preflight: $*"
  fi
}

# Chooses how Istio is installed: ISTIO_INSTALLER=istioctl|helm, or auto (istioctl when it is the pinned version).
choose_istio_installer() {
  local want="${ISTIO_INSTALLER:-auto}" have
  case "$want" in
    istioctl | helm) echo "$want" ;;
    auto)
      have="$(istioctl version --remote=false --short 2>/dev/null || true)"
      if [ "$have" = "$ISTIO_VERSION" ]; then
        echo istioctl
      elif command -v helm >/dev/null 2>&1; then
        echo helm
      elif command -v istioctl >/dev/null 2>&1; then
        echo istioctl-mismatch
      else
        echo none
      fi
      ;;
    *) die "ISTIO_INSTALLER must be auto, istioctl or helm (got '$want')" ;;
  esac
}

preflight() {
  local tool mem installer
  echo "  preflight: docker, kind, kubectl, istioctl or helm, cosign, openssl; Docker memory >= 8 GB; ports 8081, ${REGISTRY_PORT}"
  for tool in docker kind kubectl cosign openssl; do
    command -v "$tool" >/dev/null 2>&1 || preflight_fail "'$tool' is not installed"
  done
  if command -v docker >/dev/null 2>&1 && ! docker info >/dev/null 2>&1; then
    preflight_fail "the Docker engine is not reachable (docker info failed): start Docker"
  fi
  if command -v kind >/dev/null 2>&1; then
    local kv
    kv="$(kind version 2>/dev/null | awk '{print $2}')"
    [ "$kv" = "$KIND_VERSION" ] || warn "kind $kv found; tested with $KIND_VERSION (the node image is pinned either way)"
  fi
  if command -v cosign >/dev/null 2>&1; then
    local cv
    cv="$(cosign version 2>/dev/null | awk '/GitVersion/ {print $2}')"
    [ "$cv" = "$COSIGN_VERSION" ] || warn "cosign ${cv:-?} found; tested with $COSIGN_VERSION"
  fi
  installer="$(choose_istio_installer)"
  case "$installer" in
    none) preflight_fail "neither istioctl $ISTIO_VERSION nor helm is installed" ;;
    istioctl-mismatch) preflight_fail "istioctl is not $ISTIO_VERSION (istioctl installs its own version): install istioctl $ISTIO_VERSION, or helm" ;;
  esac
  # Docker's memory is what counts (Docker Desktop runs a VM); without an engine, the machine's.
  mem=""
  if docker info >/dev/null 2>&1; then mem="$(docker info --format '{{.MemTotal}}' 2>/dev/null || true)"; fi
  if ! [[ "$mem" =~ ^[1-9][0-9]*$ ]] && [ -r /proc/meminfo ]; then mem="$(awk '/MemTotal/ {printf "%d", $2 * 1024}' /proc/meminfo)"; fi
  if ! [[ "$mem" =~ ^[1-9][0-9]*$ ]]; then
    preflight_fail "cannot tell how much memory Docker has (need at least 8 GB)"
  elif [ "$mem" -lt "$MIN_MEMORY_BYTES" ]; then
    preflight_fail "Docker has $((mem / 1000000)) MB of memory; the cluster needs at least 8 GB"
  else
    echo "  memory: $((mem / 1000000)) MB (>= 8 GB)"
  fi
  if [ "$DRY_RUN" != 1 ] && ! exists_kind_cluster; then
    local port
    for port in 8081 "$REGISTRY_PORT"; do
      if [ "$port" = "$REGISTRY_PORT" ] && docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then continue; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        preflight_fail "port $port is in use (stop ./run.sh local or whatever listens there)"
      fi
    done
  fi
}

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
  local installer
  installer="$(choose_istio_installer)"
  if [ "$installer" = helm ]; then
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

# webapp:<tag> is webapp/Dockerfile with VERSION=<tag> baked in (the lab passes VERSION the same way).
build_push_sign_images() {
  local tag images=()
  run docker build -t webapp-base:local "$ROOT/webapp"
  for tag in $WEBAPP_TAGS; do
    run_sh "printf 'FROM webapp-base:local\\nENV VERSION=${tag}\\n' | docker build -t ${REGISTRY}/webapp:${tag} -"
    images+=("${REGISTRY}/webapp:${tag}")
  done
  run docker build -t "${REGISTRY}/loadgen:${LOADGEN_TAG}" "$ROOT/loadgen"
  # The UI's load Jobs use the image name `loadgen` (= docker.io/library/loadgen:latest), served by the local
  # registry through the docker.io mirror entry (manifests/kind/hosts/docker.io.toml).
  run docker tag "${REGISTRY}/loadgen:${LOADGEN_TAG}" "${REGISTRY}/library/loadgen:latest"
  run docker build -t "${REGISTRY}/control-center:${CONTROL_CENTER_TAG}" "$ROOT"
  images+=("${REGISTRY}/loadgen:${LOADGEN_TAG}" "${REGISTRY}/library/loadgen:latest" "${REGISTRY}/control-center:${CONTROL_CENTER_TAG}")
  local img
  for img in "${images[@]}"; do run docker push "$img"; done

  # cosign with a local key pair (keyless signing needs an OIDC login; CI signs keyless: .github/workflows/delivery.yml).
  run mkdir -p "$CLUSTER_STATE_DIR"
  if [ "$DRY_RUN" = 1 ] || [ ! -f "$CLUSTER_STATE_DIR/cosign.key" ]; then
    run_sh "cd $CLUSTER_STATE_DIR && COSIGN_PASSWORD= cosign generate-key-pair"
  fi
  local ref
  for img in "${images[@]}"; do
    if [ "$DRY_RUN" = 1 ]; then
      ref="${img%:*}@<digest>"
      printf '+ %s\n' "docker inspect --format '{{index .RepoDigests 0}}' $img"
    else
      ref="$(docker inspect --format '{{index .RepoDigests 0}}' "$img")"
    fi
    run_sh "COSIGN_PASSWORD= cosign sign --yes --key $CLUSTER_STATE_DIR/cosign.key --tlog-upload=false --allow-insecure-registry $ref"
    run cosign verify --key "$CLUSTER_STATE_DIR/cosign.pub" --insecure-ignore-tlog=true --allow-insecure-registry "$ref" -o text
  done
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

deploy_control_center() {
  kc apply -k "$ROOT/manifests/kind"
  wait_rollout control-center deployment/control-center
}

# First setup applies the demo app; after that Argo CD owns it (re-applying would reset a canary in progress).
deploy_demo_app() {
  if exists -n demo rollout webapp; then
    echo "  rollout demo/webapp exists (kept: Argo CD syncs it from Git)"
  else
    run_sh "kubectl kustomize --load-restrictor LoadRestrictionsNone manifests/demo/kind | kubectl --context $KUBE_CONTEXT apply -f -"
  fi
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
  ./run.sh canary-success   ./run.sh canary-failure   ./run.sh status
  Images in ${REGISTRY}, signed with ${CLUSTER_STATE_DIR}/cosign.key (verify: cosign verify --key ${CLUSTER_STATE_DIR}/cosign.pub --insecure-ignore-tlog=true --allow-insecure-registry ${REGISTRY}/webapp:v1.0)
SUMMARY
}

run_setup() {
  parse_common_flags "$@"
  cd "$ROOT" || die "cannot cd to $ROOT"
  [ "$DRY_RUN" = 1 ] && echo "Dry run: the plan of ./run.sh setup (nothing is changed)."
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
  step "secrets (AUTH_SECRET, JUDGE_TOKEN)"
  create_secrets
  step "control center (${REGISTRY}/control-center:${CONTROL_CENTER_TAG})"
  deploy_control_center
  step "demo app (manifests/demo/kind) and its Argo CD Application"
  deploy_demo_app
  register_argocd_app
  print_summary
}
