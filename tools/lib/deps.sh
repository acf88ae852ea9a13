# shellcheck shell=bash
# Sourced by tools/test, tools/demo and tools/sandbox: installs what the build and
# the tests need from Debian's packages when something is missing (the one
# apt-get installer of tools/), then configures and builds.

TWINLOG_PACKAGES=(
  cmake ninja-build pkg-config g++ clang libclang-rt-14-dev clang-format clang-tidy
  libmariadb-dev libssl-dev libboost-program-options-dev libxxhash-dev libzstd-dev zlib1g-dev libisal-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libsimdjson-dev
  mariadb-server mariadb-client mariadb-test-data zstd python3-jsonschema prometheus
  chromium
  python3-yaml systemd # samples/deploy tests: the CronJob read as YAML, systemd-analyze verify
  percona-toolkit # pt-table-checksum, which bench/checksum/ measures twinlog checksum against
)

# install_packages PKG...: the one apt-get installer of tools/ (tools/test,
# tools/demo, tools/sandbox). Installs those of PKG not installed yet, as root or
# through sudo; one installer at a time, since several sandboxes or test runs may
# start together; no package's service starts meanwhile: there is no init
# system, and a server would take the default port.
install_packages() {
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "twinlog: cannot install $* (not root, and no sudo)" >&2
      return 1
    }
    sudo=(sudo)
  fi
  exec 9>"${TMPDIR:-/tmp}/twinlog-sandbox-apt.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 9 || echo "twinlog: another installer still holds the lock; going on" >&2
  fi
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    exec 9>&-
    return 0
  fi
  echo "twinlog: installing ${missing[*]} with apt-get" >&2
  local policy=/usr/sbin/policy-rc.d created_policy=0 rc=0
  if [[ ! -e $policy && $EUID -eq 0 ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || rc=$?
  if ((rc == 0)); then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=300 "${missing[@]}" >&2 || rc=$?
  fi
  if ((created_policy)); then rm -f "$policy"; fi
  exec 9>&-
  ((rc == 0)) || echo "twinlog: apt-get update / install ${missing[*]} failed (exit $rc)" >&2
  return "$rc"
}

install_dependencies() {
  install_packages "${TWINLOG_PACKAGES[@]}"
}

# build DIR [cmake options...]: configure (once) and build everything in DIR.
build_tree() {
  local dir=$1
  shift
  cmake -G Ninja -S "$TWINLOG_ROOT" -B "$dir" "$@" >/dev/null
  ninja -C "$dir" -j"$(nproc)"
}
