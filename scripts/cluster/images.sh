# shellcheck shell=bash disable=SC2034
# (SC2034: CONTROL_CENTER_IMAGE_REF is read by setup.sh.)
# The images of ./run.sh setup (sourced after common.sh): build, push to the local registry, sign each pushed
# reference by its registry digest with a local cosign key pair. The control center and loadgen are tagged by content
# (<tag>-<12 hex of the image ID>: an unchanged build from Docker's cache keeps its ID, a code change gets a new tag)
# and the control center is deployed by digest, so a re-run rolls its Deployment exactly when the image changed.

# Set by build_push_sign_images: what deploy_control_center puts in the Deployment.
CONTROL_CENTER_IMAGE_REF=""
CONTENT_TAG=""
REPO_DIGEST=""

# content_tag IMAGE BASE: sets CONTENT_TAG to BASE-<first 12 hex of IMAGE's ID>.
content_tag() {
  local id
  printf '+ %s\n' "docker image inspect --format '{{.Id}}' $1"
  if [ "$DRY_RUN" = 1 ]; then
    CONTENT_TAG="$2-<image-id>"
    return 0
  fi
  id="$(docker image inspect --format '{{.Id}}' "$1")" || die "cannot read the image ID of $1"
  id="${id#sha256:}"
  [[ "$id" =~ ^[0-9a-f]{12} ]] || die "unexpected image ID '$id' for $1"
  CONTENT_TAG="$2-${id:0:12}"
}

# select_repo_digest REPO: from `docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}'` on stdin,
# the one digest reference of REPO. An image pushed under several names (loadgen and library/loadgen) has one
# RepoDigest per repository, in no order the signing may rely on.
select_repo_digest() {
  local repo="$1" line
  while IFS= read -r line; do
    if [[ "$line" =~ ^(.+)@(sha256:[0-9a-f]{64})$ ]] && [ "${BASH_REMATCH[1]}" = "$repo" ]; then
      echo "$line"
      return 0
    fi
  done
  return 1
}

# repo_digest IMAGE:TAG: sets REPO_DIGEST to REPO@sha256:... as the registry stored it (after docker push).
repo_digest() {
  local img="$1" repo="${1%:*}"
  printf '+ %s\n' "docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' $img"
  if [ "$DRY_RUN" = 1 ]; then
    REPO_DIGEST="${repo}@<digest>"
    return 0
  fi
  REPO_DIGEST="$(docker image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$img" | select_repo_digest "$repo")" ||
    die "no registry digest of $repo for $img (was it pushed?)"
}

# cosign 3 with a local key and no transparency log (keyless signing needs an OIDC login; CI signs keyless).
cosign_sign() {
  run_sh "COSIGN_PASSWORD= cosign sign --yes --key $CLUSTER_STATE_DIR/cosign.key --use-signing-config=false --tlog-upload=false --allow-insecure-registry $1"
}
cosign_verify_args() {
  printf '%s\n' verify --key "$CLUSTER_STATE_DIR/cosign.pub" --insecure-ignore-tlog=true --allow-insecure-registry "$1"
}

# webapp:<tag> is webapp/Dockerfile with VERSION=<tag> baked in (the lab passes VERSION the same way).
build_push_sign_images() {
  local tag pushed=()
  run docker build -t webapp-base:local "$ROOT/webapp"
  for tag in $WEBAPP_TAGS; do
    run_sh "printf 'FROM webapp-base:local\\nENV VERSION=${tag}\\n' | docker build -t ${REGISTRY}/webapp:${tag} -"
    pushed+=("${REGISTRY}/webapp:${tag}")
  done

  local lg_tag cc_tag
  run docker build -t "${REGISTRY}/loadgen:${LOADGEN_TAG}" "$ROOT/loadgen"
  content_tag "${REGISTRY}/loadgen:${LOADGEN_TAG}" "$LOADGEN_TAG"
  lg_tag="$CONTENT_TAG"
  run docker tag "${REGISTRY}/loadgen:${LOADGEN_TAG}" "${REGISTRY}/loadgen:${lg_tag}"
  # The UI's load Jobs use the image name `loadgen` (= docker.io/library/loadgen:latest), served by the local
  # registry through the docker.io mirror entry (manifests/kind/hosts/docker.io.toml).
  run docker tag "${REGISTRY}/loadgen:${LOADGEN_TAG}" "${REGISTRY}/library/loadgen:latest"
  pushed+=("${REGISTRY}/loadgen:${lg_tag}" "${REGISTRY}/library/loadgen:latest")

  run docker build -t "${REGISTRY}/control-center:${CONTROL_CENTER_TAG}" "$ROOT"
  content_tag "${REGISTRY}/control-center:${CONTROL_CENTER_TAG}" "$CONTROL_CENTER_TAG"
  cc_tag="$CONTENT_TAG"
  run docker tag "${REGISTRY}/control-center:${CONTROL_CENTER_TAG}" "${REGISTRY}/control-center:${cc_tag}"
  pushed+=("${REGISTRY}/control-center:${cc_tag}")

  local img
  for img in "${pushed[@]}"; do run docker push "$img"; done

  run mkdir -p "$CLUSTER_STATE_DIR"
  if [ "$DRY_RUN" = 1 ] || [ ! -f "$CLUSTER_STATE_DIR/cosign.key" ]; then
    run_sh "cd $CLUSTER_STATE_DIR && COSIGN_PASSWORD= cosign generate-key-pair"
  fi
  local ref verify_args
  for img in "${pushed[@]}"; do
    repo_digest "$img"
    ref="$REPO_DIGEST"
    cosign_sign "$ref"
    mapfile -t verify_args < <(cosign_verify_args "$ref")
    run cosign "${verify_args[@]}" -o text
    if [ "${img%:*}" = "${REGISTRY}/control-center" ]; then CONTROL_CENTER_IMAGE_REF="${img}@${ref#*@}"; fi
  done
}
