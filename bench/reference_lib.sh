# shellcheck shell=bash
# Shared by bench/make_*reference.sh: where a reference binlog may go, and taking
# master A's closed binlogs out of the sandbox. Sourced, after SOURCE_DIR is set.

# Refuses an OUTDIR inside the repository (reference files are large and are
# never committed). $1: OUTDIR, $2: the script's name for the message.
refuse_outdir_in_repository() {
  case "$(realpath -m "$1")/" in
    "$SOURCE_DIR"/*) echo "$2: $1 is inside the repository" >&2; exit 1 ;;
  esac
}

# FLUSH BINARY LOGS on A (or on the server $2), then copies every binlog file but
# the newest (the empty one the flush just opened) to $1 and lists them.
copy_closed_binlogs() {
  local server="${2:-A}"
  "$SOURCE_DIR/tools/sandbox" sql "$server" "FLUSH BINARY LOGS" >/dev/null
  mkdir -p "$1"
  local binlogs
  mapfile -t binlogs < <("$SOURCE_DIR/tools/sandbox" binlogs "$server")
  unset 'binlogs[-1]'
  cp "${binlogs[@]}" "$1/"
  ls -l "$1"
}

# Starts a sandboxed pair (destroyed when the script exits) in binlog_format $1 and
# runs the workload generator ($WORKLOAD, 1000 transactions a seed) until A's
# binlogs hold at least $2 MB, then waits for both masters to be in sync.
fill_pair_with_workload() {
  local format="$1" target_mb="$2"
  SANDBOX_DIR="$(mktemp -d)"
  export SANDBOX_DIR
  sandbox="$SOURCE_DIR/tools/sandbox"
  trap '"$sandbox" destroy >/dev/null 2>&1 || true' EXIT
  "$sandbox" start --format "$format" --watch $$ >/dev/null
  local seed=1 reset=--reset size
  while :; do
    size=$("$sandbox" sql A "SHOW BINARY LOGS" | awk '{ total += $2 } END { print total + 0 }')
    [ "$size" -ge $((target_mb * 1024 * 1024)) ] && break
    "$WORKLOAD" --sandbox "$SANDBOX_DIR" $reset --seed "$seed" --binlog-format "$format" \
      --transactions 1000 --quiet
    reset=
    seed=$((seed + 1))
  done
  "$sandbox" wait-sync 600 >/dev/null
}
