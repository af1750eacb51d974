# shellcheck shell=bash
# ./run.sh lab and ./run.sh local (sourced by run.sh).

LAB_DIR="${LAB_DIR:-$ROOT/.lab}"
LAB_API_PORT="${LAB_API_PORT:-6443}"
LAB_GATEWAY_PORT="${LAB_GATEWAY_PORT:-8081}"
LAB_PROMETHEUS_PORT="${LAB_PROMETHEUS_PORT:-9090}"
PORT="${PORT:-3300}"
export LAB_DIR LAB_API_PORT LAB_GATEWAY_PORT LAB_PROMETHEUS_PORT

LOCAL_PIDS=()

stop_local() {
  trap - INT TERM EXIT
  if [ "${#LOCAL_PIDS[@]}" -gt 0 ]; then
    log "stopping"
    kill "${LOCAL_PIDS[@]}" 2>/dev/null || true
    wait "${LOCAL_PIDS[@]}" 2>/dev/null || true
  fi
}

# The lab's state folder (Secrets in lab.db, the CA key, the admin token, logs) is the owner's alone: 0700, and
# everything started from here creates files 0600 (the lab also sets the modes explicitly and fixes older ones).
private_lab_dir() {
  umask 077
  mkdir -p "$LAB_DIR"
  chmod 700 "$LAB_DIR"
}

run_lab_foreground() {
  private_lab_dir
  exec node --import tsx "$ROOT/lab/main.ts"
}

# Rebuild the control center only when a source file is newer than the last build.
build_if_needed() {
  if [ -f "$ROOT/.next/BUILD_ID" ] &&
    [ -z "$(find app components lib server package.json next.config.ts -newer "$ROOT/.next/BUILD_ID" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  log "building the control center"
  npm run --silent build >/dev/null
}

wait_for() {
  local what="$1" url="$2" seconds="$3" i
  for ((i = 0; i < seconds * 4; i++)); do
    if curl -fsk -o /dev/null --max-time 1 "$url"; then return 0; fi
    sleep 0.25
  done
  die "$what did not answer at $url within ${seconds}s"
}

run_local() {
  install_all
  build_if_needed
  private_lab_dir
  trap stop_local INT TERM EXIT

  log "starting the lab (state in ${LAB_DIR#"$ROOT"/})"
  node --import tsx "$ROOT/lab/main.ts" >>"$LAB_DIR/lab.log" 2>&1 &
  LOCAL_PIDS+=($!)
  wait_for "the lab API" "https://127.0.0.1:$LAB_API_PORT/readyz" 60
  export KUBECONFIG="$LAB_DIR/kubeconfig"

  local prom_url window_url judge_token auth_secret admin_password config
  prom_url="$(lab_info_field prometheusUrl)"
  window_url="$(lab_info_field windowUrl)"
  ensure_judge_token >/dev/null
  # Before the control center starts: it must be given the token of the judge's Secret (live state), see adopt_judge_token.
  seed_demo_if_absent || die "the demo objects could not be created (see above)"
  judge_token="$(cat "$LAB_DIR/judge-token")"
  auth_secret="$(ensure_auth_secret)"
  # The login: a generated config with a first admin (password shown once, stored as an argon2 hash), unless
  # CONTROL_CENTER_CONFIG names your own file.
  config="${CONTROL_CENTER_CONFIG:-$LAB_DIR/control-center.yaml}"
  admin_password=""
  if [ ! -e "$config" ]; then
    admin_password="$(node --import tsx "$ROOT/scripts/auth/first-admin.ts" "$config")"
  fi
  log "starting the control center on :$PORT"
  # The heap bounds the server ships with (package.json config.nodeFlags); CONTROL_CENTER_NODE_FLAGS overrides them.
  local -a node_flags
  read -r -a node_flags <<<"${CONTROL_CENTER_NODE_FLAGS:-$(node -p "require('$ROOT/package.json').config.nodeFlags")}"
  CONTROL_CENTER_CONFIG="$config" AUTH_SECRET="$auth_secret" \
    PROMETHEUS_URL="$prom_url" METRICS_WINDOW_URL="$window_url" JUDGE_TOKEN="$judge_token" node "${node_flags[@]}" node_modules/next/dist/bin/next start -H 127.0.0.1 -p "$PORT" \
    >>"$LAB_DIR/control-center.log" 2>&1 &
  LOCAL_PIDS+=($!)
  wait_for "the control center" "http://127.0.0.1:$PORT/api/health" 60

  local login
  if [ -n "$admin_password" ]; then
    login="admin / $admin_password   (shown once: only its hash is kept, in ${config#"$ROOT"/})"
  else
    login="users of ${config#"$ROOT"/} (delete ${LAB_DIR#"$ROOT"/}/control-center.yaml for a new admin password)"
  fi
  cat <<INFO

  Control center   http://127.0.0.1:$PORT
  Login            $login
  Demo app         http://127.0.0.1:$LAB_GATEWAY_PORT/  (Host: webapp.local — curl -H 'Host: webapp.local' ...)
  Kubernetes API   https://127.0.0.1:$LAB_API_PORT
  Prometheus       ${prom_url:-not installed (the lab serves its own metrics window)}
  Logs             ${LAB_DIR#"$ROOT"/}/lab.log, ${LAB_DIR#"$ROOT"/}/control-center.log

  export KUBECONFIG=$KUBECONFIG
  kubectl get rollouts -A

  Ctrl-C stops everything started here.
INFO
  wait "${LOCAL_PIDS[0]}"
}

# One field of the lab's /lab/v1/info (prometheusUrl is empty when Prometheus is not installed).
lab_info_field() {
  curl -fsk --max-time 2 "https://127.0.0.1:$LAB_API_PORT/lab/v1/info" 2>/dev/null |
    FIELD="$1" node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const i=JSON.parse(s);process.stdout.write(String(i[process.env.FIELD]??""))}catch{}})'
}

# The judge's bearer token: generated once, kept in the lab folder (0600). When the file is gone but the lab still has
# the judge's Secret, its token is kept (the Secret is never overwritten: see seed_demo_if_absent).
ensure_judge_token() {
  local file="$LAB_DIR/judge-token" existing
  if [ ! -s "$file" ]; then
    existing="$(kubectl -n demo get secret control-center-judge -o 'jsonpath={.data.token}' 2>/dev/null | base64 -d 2>/dev/null || true)"
    if [ -n "$existing" ]; then
      (umask 077 && printf '%s' "$existing" >"$file")
    else
      (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))' >"$file")
    fi
  fi
  cat "$file"
}

# The session secret (AUTH_SECRET): generated once, kept in the lab folder (0600), so sessions survive restarts.
ensure_auth_secret() {
  local file="$LAB_DIR/auth-secret"
  if [ ! -s "$file" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))' >"$file")
  fi
  cat "$file"
}

# The demo objects (manifests/app: namespace demo, Rollout webapp at webapp:v1.0, ...), the judge's Secret and the
# namespace control-center (the recorder's Lease), each created only when absent: a restart never overwrites live state,
# so a canary paused at webapp:v1.2 is still paused at the same step after `./run.sh local` stops and starts again.
seed_demo_if_absent() {
  create_if_absent "manifests/app" -f "$ROOT/manifests/app/" || return 1
  create_if_absent "namespace control-center" namespace control-center || return 1
  # the token from its file (never on a command line); built client-side, then created as the manifests are
  kubectl create secret generic control-center-judge -n demo --from-file=token="$LAB_DIR/judge-token" \
    --dry-run=client -o json >"$LAB_DIR/judge-secret.json" || return 1
  local rc=0
  create_if_absent "Secret demo/control-center-judge" -f "$LAB_DIR/judge-secret.json" || rc=1
  rm -f "$LAB_DIR/judge-secret.json"
  [ "$rc" = 0 ] || return 1
  adopt_judge_token
}

# The judge's Secret is live state and is never overwritten: when its token differs from the lab folder's (say reading
# the Secret failed for a moment when the file was made, so a new token was generated while the Secret was kept), the
# file takes the Secret's token, and says so. A Secret that cannot be read stops the start, naming it.
adopt_judge_token() {
  local file="$LAB_DIR/judge-token" err encoded live
  err="$(mktemp)"
  if ! encoded="$(kubectl -n demo get secret control-center-judge -o 'jsonpath={.data.token}' 2>"$err")"; then
    printf '\033[1;31merror:\033[0m could not read Secret demo/control-center-judge:\n' >&2
    sed 's/^/  /' "$err" >&2
    rm -f "$err"
    return 1
  fi
  rm -f "$err"
  live="$(base64 -d <<<"$encoded" 2>/dev/null || true)"
  if [ -z "$live" ]; then
    printf '\033[1;31merror:\033[0m Secret demo/control-center-judge has no token\n' >&2
    return 1
  fi
  if [ "$live" != "$(cat "$file")" ]; then
    (umask 077 && printf '%s' "$live" >"$file")
    log "judge token: ${file#"$ROOT"/} differed from Secret demo/control-center-judge; took the Secret's (it is never overwritten)"
  fi
}

# `kubectl create "$@"`: what did not exist is created (and logged); AlreadyExists is fine, any other error fails the
# start naming it.
create_if_absent() {
  local what="$1" out err rc=0 line existed=0 bad=()
  shift
  err="$(mktemp)"
  out="$(kubectl create "$@" 2>"$err")" || rc=$?
  while IFS= read -r line; do
    case "$line" in
    "") ;;
    *"(AlreadyExists)"*) existed=$((existed + 1)) ;;
    *) bad+=("$line") ;;
    esac
  done <"$err"
  rm -f "$err"
  if [ "$rc" != 0 ] && [ "${#bad[@]}" = 0 ] && [ "$existed" = 0 ]; then bad+=("kubectl create exited with $rc"); fi
  if [ "${#bad[@]}" -gt 0 ]; then
    printf '\033[1;31merror:\033[0m could not create %s:\n' "$what" >&2
    printf '  %s\n' "${bad[@]}" >&2
    return 1
  fi
  if [ -n "$out" ]; then log "created ($what): $(tr '\n' ' ' <<<"$out")"; fi
  return 0
}
