# Sourced by tools/test and tools/demo: installs what the build and the tests need
# from Debian's packages when something is missing, then configures and builds.

TWINLOG_PACKAGES=(
  cmake ninja-build pkg-config g++ clang libclang-rt-14-dev
  libmariadb-dev libboost-program-options-dev libxxhash-dev libzstd-dev zlib1g-dev libisal-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  mariadb-server mariadb-client mariadb-test-data zstd python3-jsonschema
)

install_dependencies() {
  local missing=()
  for p in "${TWINLOG_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "twinlog: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# build DIR [cmake options...]: configure (once) and build everything in DIR.
build_tree() {
  local dir=$1
  shift
  cmake -G Ninja -S "$TWINLOG_ROOT" -B "$dir" "$@" >/dev/null
  ninja -C "$dir" -j"$(nproc)"
}
