# shellcheck shell=bash disable=SC2034
# (SC2034: ISTIO_INSTALLER_CHOSEN is read by setup.sh.)
# Preflight of ./run.sh setup (sourced after common.sh): the tools, their versions read from what each pinned release
# prints (the exact outputs are in scripts/cluster/testdata/tool-versions.yaml, with the source file of each), the
# Istio installer, Docker's memory and the ports.

MIN_MEMORY_BYTES=8000000000

# Parsers: each reads one tool's version output on stdin and prints the version (nothing when it cannot tell).
# `kind version`: "kind v0.32.0 go1.26.3 linux/amd64" (pkg/cmd/kind/version/version.go DisplayVersion).
parse_kind_version() { sed -n -E 's/^kind (v[0-9]+\.[0-9]+\.[0-9]+[^ ]*) .*/\1/p' | head -n 1; }
# `kubectl version --client`: "Client Version: v1.36.1" then "Kustomize Version: ..." (pkg/cmd/version/version.go).
parse_kubectl_version() { sed -n -E 's/^Client Version: (v[0-9]+\.[0-9]+\.[0-9]+[^ ]*)$/\1/p' | head -n 1; }
# `istioctl version --remote=false --short`: "client version: 1.30.3" since Istio 1.24 (pkg/version/cobra.go).
parse_istioctl_version() { sed -n -E 's/^client version: ([0-9]+\.[0-9]+\.[0-9]+[^ ]*)$/\1/p' | head -n 1; }
# `helm version --short`: "v3.21.4+g813176c" (formatVersion in cmd/helm/version.go, pkg/cmd/version.go in v4).
parse_helm_version() { sed -n -E 's/^(v[0-9]+\.[0-9]+\.[0-9]+)(\+g[0-9a-f]+)?$/\1/p' | head -n 1; }
# `cosign version`: an ASCII-art name, then "GitVersion:    v3.1.2" among tab-aligned lines (release-utils version).
parse_cosign_version() { sed -n -E 's/^GitVersion:[[:space:]]+(v[0-9]+\.[0-9]+\.[0-9]+[^ ]*)$/\1/p' | head -n 1; }
# `docker version --format '{{.Server.Version}}'`: the engine's version, an empty line when no engine answers.
parse_docker_version() { sed -n -E 's/^([0-9]+\.[0-9]+\.[0-9]+[^ ]*)$/\1/p' | head -n 1; }

# major_minor v1.36.1 -> 1.36
major_minor() { sed -E 's/^v?([0-9]+)\.([0-9]+).*/\1.\2/' <<<"$1"; }

# tool_version TOOL PARSER ARGS...: runs `TOOL ARGS...` and parses its output (empty when missing or unreadable).
tool_version() {
  local tool="$1" parser="$2"
  shift 2
  command -v "$tool" >/dev/null 2>&1 || return 0
  "$tool" "$@" 2>/dev/null | "$parser" || true
}

preflight_fail() {
  if [ "$DRY_RUN" = 1 ]; then
    warn "preflight: $* (a real run stops here)"
  else
    die "preflight: $*"
  fi
}

# Chooses how Istio is installed; sets ISTIO_INSTALLER_CHOSEN (istioctl|helm|none) and ISTIO_INSTALLER_WHY.
# ISTIO_INSTALLER=istioctl|helm forces one; auto takes istioctl when it is the pinned release (istioctl installs its
# own version), else helm (the charts are pinned by --version), and says why.
choose_istio_installer() {
  local want="${ISTIO_INSTALLER:-auto}" istioctl_v helm_v
  istioctl_v="$(tool_version istioctl parse_istioctl_version version --remote=false --short)"
  helm_v="$(tool_version helm parse_helm_version version --short)"
  ISTIO_INSTALLER_CHOSEN=none
  case "$want" in
    istioctl)
      ISTIO_INSTALLER_CHOSEN=istioctl
      ISTIO_INSTALLER_WHY="istioctl ${istioctl_v:-?} (ISTIO_INSTALLER=istioctl)"
      if [ "$istioctl_v" != "$ISTIO_VERSION" ]; then
        preflight_fail "ISTIO_INSTALLER=istioctl but istioctl is ${istioctl_v:-not installed}, not $ISTIO_VERSION"
      fi
      ;;
    helm)
      ISTIO_INSTALLER_CHOSEN=helm
      ISTIO_INSTALLER_WHY="helm ${helm_v:-?} (ISTIO_INSTALLER=helm), charts $ISTIO_VERSION"
      [ -n "$helm_v" ] || preflight_fail "ISTIO_INSTALLER=helm but helm is not installed (or its version unreadable)"
      ;;
    auto)
      if [ "$istioctl_v" = "$ISTIO_VERSION" ]; then
        ISTIO_INSTALLER_CHOSEN=istioctl
        ISTIO_INSTALLER_WHY="istioctl $istioctl_v (the pinned release)"
      elif [ -n "$helm_v" ]; then
        ISTIO_INSTALLER_CHOSEN=helm
        ISTIO_INSTALLER_WHY="helm $helm_v, charts $ISTIO_VERSION"
        if [ -n "$istioctl_v" ]; then
          ISTIO_INSTALLER_WHY+=" (istioctl $istioctl_v is not the pinned $ISTIO_VERSION)"
        elif command -v istioctl >/dev/null 2>&1; then
          ISTIO_INSTALLER_WHY+=" (istioctl found, version unreadable)"
        fi
      elif [ -n "$istioctl_v" ] || command -v istioctl >/dev/null 2>&1; then
        ISTIO_INSTALLER_WHY="istioctl ${istioctl_v:-of unknown version}"
        preflight_fail "istioctl is ${istioctl_v:-of unknown version}, not $ISTIO_VERSION (istioctl installs its own version): install istioctl $ISTIO_VERSION, or helm"
      else
        ISTIO_INSTALLER_WHY="none"
        preflight_fail "neither istioctl $ISTIO_VERSION nor helm is installed"
      fi
      ;;
    *) die "ISTIO_INSTALLER must be auto, istioctl or helm (got '$want')" ;;
  esac
}

preflight_versions() {
  local v node_k8s
  v="$(tool_version docker parse_docker_version version --format '{{.Server.Version}}')"
  if command -v docker >/dev/null 2>&1; then
    if [ -n "$v" ]; then echo "  docker: engine $v"; else preflight_fail "the Docker engine is not reachable (docker version shows no server): start Docker"; fi
  fi
  v="$(tool_version kind parse_kind_version version)"
  if command -v kind >/dev/null 2>&1; then
    echo "  kind: ${v:-unreadable version}"
    [ "$v" = "$KIND_VERSION" ] || warn "kind ${v:-of unknown version} found; tested with $KIND_VERSION (the node image is pinned either way)"
  fi
  v="$(tool_version kubectl parse_kubectl_version version --client)"
  if command -v kubectl >/dev/null 2>&1; then
    echo "  kubectl: ${v:-unreadable version}"
    node_k8s="$(sed -E 's/^kindest\/node:(v[0-9.]+)@.*/\1/' <<<"$KIND_NODE_IMAGE")"
    if [ -n "${KUBECTL_VERSION:-}" ] && [ "$v" != "$KUBECTL_VERSION" ]; then
      warn "kubectl ${v:-of unknown version} found; tested with $KUBECTL_VERSION"
    fi
    # The pin is what CI tests with; the skew to the cluster is checked whatever it is.
    if [ -n "$v" ]; then
      local have want
      have="$(major_minor "$v")"
      want="$(major_minor "$node_k8s")"
      if [ "${have%%.*}" != "${want%%.*}" ] || [ $((${have#*.} - ${want#*.})) -gt 1 ] || [ $((${want#*.} - ${have#*.})) -gt 1 ]; then
        warn "kubectl $v is more than one minor version away from the cluster ($node_k8s): outside kubectl's supported skew"
      fi
    fi
  fi
  v="$(tool_version cosign parse_cosign_version version)"
  if command -v cosign >/dev/null 2>&1; then
    echo "  cosign: ${v:-unreadable version}"
    if [ "${v%%.*}" != "${COSIGN_VERSION%%.*}" ]; then
      preflight_fail "cosign ${v:-of unknown version} found; setup signs with cosign ${COSIGN_VERSION%%.*} flags (--use-signing-config=false): install cosign $COSIGN_VERSION"
    elif [ "$v" != "$COSIGN_VERSION" ]; then
      warn "cosign $v found; tested with $COSIGN_VERSION"
    fi
  fi
}

preflight() {
  local tool mem
  echo "  preflight: docker, kind, kubectl, istioctl or helm, cosign, openssl, node; Docker memory >= 8 GB; ports 8081, ${REGISTRY_PORT}"
  for tool in docker kind kubectl cosign openssl node; do
    command -v "$tool" >/dev/null 2>&1 || preflight_fail "'$tool' is not installed"
  done
  # The first admin's argon2 hash and the rollout checks run with the project's own Node.js dependencies.
  if [ ! -f "$ROOT/node_modules/tsx/package.json" ] || [ ! -d "$ROOT/node_modules/@node-rs/argon2" ]; then
    preflight_fail "the npm dependencies are not installed: run ./run.sh install (or npm ci) first"
  fi
  preflight_versions
  choose_istio_installer
  echo "  Istio installer: $ISTIO_INSTALLER_WHY"
  # Docker's memory is what counts (Docker Desktop runs a VM); without an engine, the machine's.
  mem="$(docker info --format '{{.MemTotal}}' 2>/dev/null || true)"
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
