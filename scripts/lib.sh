# shellcheck shell=bash
# Shared helpers for run.sh (sourced, not executed).

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
  exit 1
}

# Debian packages the tests and the lab use: command -> package. Every tool a test runs is here (the tests fail,
# naming the tool, when one is missing: support/testing/tools.ts), so `./run.sh test` on a fresh machine skips nothing.
apt_missing() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
  command -v hey >/dev/null 2>&1 || missing+=(hey)
  command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  # Only the tests start PostgreSQL: ./run.sh lab and ./run.sh local (NO_TEST_SERVERS=1) never need it.
  [ "${NO_TEST_SERVERS:-0}" = "1" ] || postgresql_server_installed || missing+=(postgresql)
  echo "${missing[@]:-}"
}

# The PostgreSQL server the store tests start (server/testing/postgres.ts): Debian keeps initdb and postgres in
# /usr/lib/postgresql/<major>/bin, off PATH (a machine with only the client has psql but no server).
postgresql_server_installed() {
  local bin
  for bin in /usr/lib/postgresql/*/bin/postgres; do
    [ -x "$bin" ] && [ -x "${bin%/postgres}/initdb" ] && return 0
  done
  command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1
}

install_debian_packages() {
  local missing
  missing="$(apt_missing)"
  [ -z "$missing" ] && return 0
  if [ "${SKIP_APT:-0}" = "1" ]; then
    die "missing Debian packages: $missing (SKIP_APT=1 is set)"
  fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: $missing"
    sudo="sudo"
  fi
  log "installing Debian packages: $missing"
  # shellcheck disable=SC2086
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
  # The Debian prometheus package may start a service on :9090; the lab runs its own.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    $sudo systemctl stop prometheus || true
  fi
  # Debian's postgresql package creates a cluster on :5432 and may start it; the tests run their own servers on free
  # ports, so a cluster this install started only takes memory.
  case " $missing " in
    *" postgresql "*)
      if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet postgresql 2>/dev/null; then
        $sudo systemctl stop postgresql || true
      elif command -v pg_ctlcluster >/dev/null 2>&1 && command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _ status _; do
          if [ "$status" = "online" ]; then $sudo pg_ctlcluster "$version" "$cluster" stop || true; fi
        done
      fi
      ;;
  esac
}

# npm ci only when package-lock.json changed since the last install in that folder.
npm_ci_if_needed() {
  local dir="$1" stamp sum
  stamp="$dir/node_modules/.install-stamp"
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return 0
  fi
  log "npm ci in ${dir#"$ROOT"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$sum" >"$stamp"
}

install_all() {
  install_debian_packages
  npm_ci_if_needed "$ROOT"
  local pkg
  for pkg in webapp loadgen; do
    if [ -f "$ROOT/$pkg/package-lock.json" ]; then
      npm_ci_if_needed "$ROOT/$pkg"
      log "building $pkg"
      (cd "$ROOT/$pkg" && npm run --silent build)
    fi
  done
}
