# shellcheck shell=bash
# Sourced by tools/sandbox: `start` (its options, a fresh or a stopped sandbox) and the --watch guard.
# Functions only; tools/sandbox sets the constants (SANDBOX_DIR, CONFIG_DIR, ...).

parse_start_options() {
  OPT_FORMAT="${SANDBOX_BINLOG_FORMAT:-}"
  OPT_ROW_IMAGE="${SANDBOX_ROW_IMAGE:-}"
  OPT_ROW_METADATA="${SANDBOX_ROW_METADATA:-}"
  OPT_COMPRESS="${SANDBOX_COMPRESS:-0}"
  OPT_CHECKSUM="${SANDBOX_CHECKSUM:-}"
  OPT_GTID="${SANDBOX_GTID:-0}"
  OPT_SKIP_ERRORS="${SANDBOX_SKIP_ERRORS:-}"
  OPT_SAME_OFFSET="${SANDBOX_SAME_OFFSET:-0}"
  OPT_EXTRA="${SANDBOX_EXTRA:-}"
  OPT_EXTRA_A="${SANDBOX_EXTRA_A:-}"
  OPT_EXTRA_B="${SANDBOX_EXTRA_B:-}"
  OPT_CNF_A="${SANDBOX_CNF_A:-}"
  OPT_CNF_B="${SANDBOX_CNF_B:-}"
  OPT_WITH_C="${SANDBOX_WITH_C:-0}"
  OPT_NO_WIRE="${SANDBOX_NO_WIRE:-0}"
  OPT_WATCH="${SANDBOX_WATCH_PID:-}"
  while (($#)); do
    case "$1" in
      --format) OPT_FORMAT="${2:?--format needs a value}"; shift 2 ;;
      --row-image) OPT_ROW_IMAGE="${2:?--row-image needs a value}"; shift 2 ;;
      --row-metadata) OPT_ROW_METADATA="${2:?--row-metadata needs a value}"; shift 2 ;;
      --compress) OPT_COMPRESS=1; shift ;;
      --checksum) OPT_CHECKSUM="${2:?--checksum needs a value}"; shift 2 ;;
      --gtid) OPT_GTID=1; shift ;;
      --skip-errors) OPT_SKIP_ERRORS="${2:?--skip-errors needs a value}"; shift 2 ;;
      --same-offset) OPT_SAME_OFFSET=1; shift ;;
      --extra) OPT_EXTRA="$OPT_EXTRA;${2:?--extra needs a value}"; shift 2 ;;
      --extra-a) OPT_EXTRA_A="$OPT_EXTRA_A;${2:?--extra-a needs a value}"; shift 2 ;;
      --extra-b) OPT_EXTRA_B="$OPT_EXTRA_B;${2:?--extra-b needs a value}"; shift 2 ;;
      --cnf-a) OPT_CNF_A="${2:?--cnf-a needs a file}"; shift 2 ;;
      --cnf-b) OPT_CNF_B="${2:?--cnf-b needs a file}"; shift 2 ;;
      --with-c) OPT_WITH_C=1; shift ;;
      --no-wire) OPT_NO_WIRE=1; shift ;;
      --watch) OPT_WATCH="${2:?--watch needs a process id}"; shift 2 ;;
      *) die "unknown start option '$1' (see tools/sandbox --help)" ;;
    esac
  done
  local f
  for f in "$OPT_CNF_A" "$OPT_CNF_B"; do
    [[ -z "$f" || -f "$f" ]] || die "no such cnf file: $f"
  done
  case "${OPT_FORMAT^^}" in "" | ROW | STATEMENT | MIXED) OPT_FORMAT="${OPT_FORMAT^^}" ;; *) die "--format must be ROW, STATEMENT or MIXED" ;; esac
  case "${OPT_ROW_IMAGE^^}" in "" | FULL | MINIMAL | NOBLOB) OPT_ROW_IMAGE="${OPT_ROW_IMAGE^^}" ;; *) die "--row-image must be FULL, MINIMAL or NOBLOB" ;; esac
  case "${OPT_ROW_METADATA^^}" in "" | MINIMAL | FULL | NO_LOG) OPT_ROW_METADATA="${OPT_ROW_METADATA^^}" ;; *) die "--row-metadata must be MINIMAL or FULL" ;; esac
  case "${OPT_CHECKSUM^^}" in "" | NONE | CRC32) OPT_CHECKSUM="${OPT_CHECKSUM^^}" ;; *) die "--checksum must be NONE or CRC32" ;; esac
}

cmd_start() {
  parse_start_options "$@"
  local t0=$SECONDS fresh_dir=0
  if [[ -z "${SANDBOX_DIR:-}" && -f "$STATE_FILE" && -f "$(cat "$STATE_FILE")/a/port" ]]; then
    SANDBOX_DIR="$(cat "$STATE_FILE")"
    note "using the remembered sandbox $SANDBOX_DIR (destroy it, or set SANDBOX_DIR, for a new one)"
  fi
  if [[ -z "${SANDBOX_DIR:-}" ]]; then
    SANDBOX_DIR="$(mktemp -d "${TMPDIR:-/tmp}/twinlog-sandbox.XXXXXX")"
    fresh_dir=1
    echo "$SANDBOX_DIR" >"$STATE_FILE"
  fi
  mkdir -p "$SANDBOX_DIR"
  SANDBOX_DIR="$(cd "$SANDBOX_DIR" && pwd)"
  export SANDBOX_DIR
  ((${#SANDBOX_DIR} > 80)) && die "SANDBOX_DIR path too long for a unix socket: $SANDBOX_DIR"

  if [[ -f "$SANDBOX_DIR/a/port" ]]; then
    # An existing sandbox: start its servers again as they were configured.
    local s
    for s in $(servers_present); do
      start_server "$s" || die "server $s failed to start"
    done
    [[ -n "$OPT_WATCH" ]] && start_watcher "$OPT_WATCH"
    echo "export SANDBOX_DIR=$SANDBOX_DIR"
    return 0
  fi

  ensure_packages
  local servers=(A B)
  [[ "$OPT_WITH_C" == 1 ]] && servers+=(C)
  local s port
  for s in "${servers[@]}"; do
    local var="SANDBOX_PORT_$s"
    port="${!var:-}"
    [[ -z "$port" ]] && port="$(pick_port)"
    write_configs "$s" "$port"
  done
  for s in "${servers[@]}"; do
    initialise_datadir "$s"
  done
  # From here on a failed start leaves no server behind.
  trap 'rc=$?; if ((rc != 0)); then note "start failed: stopping the servers of $SANDBOX_DIR"; cmd_stop_quiet; fi' EXIT
  # Start them all, then wait; a port taken meanwhile is retried on another port.
  for s in "${servers[@]}"; do
    launch_server "$s"
  done
  for s in "${servers[@]}"; do
    local attempt=0
    until await_server "$s"; do
      attempt=$((attempt + 1))
      local var="SANDBOX_PORT_$s"
      if ((attempt >= 3)) || [[ -n "${!var:-}" ]] || ! grep -q "Can't start server: Bind on TCP/IP port" "$(errlog_of "$s")"; then
        cmd_stop_quiet
        die "server $s failed to start (sandbox left in $SANDBOX_DIR)"
      fi
      port="$(pick_port)"
      note "port taken, retrying server $s on port $port"
      sed -i "s/^port = .*/port = $port/" "$(cnf_of "$s")"
      echo "$port" >"$(sdir "$s")/port"
      launch_server "$s"
    done
  done
  [[ -n "$OPT_WATCH" ]] && start_watcher "$OPT_WATCH"
  # The database the pair replicates, on each master before wiring.
  for s in "${servers[@]}"; do
    run_sql "$s" "CREATE DATABASE IF NOT EXISTS test" || die "CREATE DATABASE test on $s failed"
  done
  if [[ "$OPT_NO_WIRE" != 1 ]]; then
    # Binlog times are seconds, and twinlog audit / diff tell a master's own
    # set-up from replicated transactions by time (what a master logged before
    # the first replicated transaction's second is before replication). On a
    # real pair the set-up and the wiring are seconds apart at least; here too.
    sleep 1
    wire A B
    wire B A
    wait_threads A B
    wait_threads B A
  fi
  {
    echo "OPT_GTID=$OPT_GTID"
  } >"$SANDBOX_DIR/options"
  trap - EXIT
  note "pair up in $((SECONDS - t0))s: A port $(port_of A), B port $(port_of B)$([[ "$OPT_WITH_C" == 1 ]] && echo ", C port $(port_of C)")"
  echo "export SANDBOX_DIR=$SANDBOX_DIR"
  ((fresh_dir)) && note "remembered in $STATE_FILE"
  return 0
}

load_options() {
  OPT_GTID=0
  if [[ -f "$SANDBOX_DIR/options" ]]; then
    OPT_GTID="$(sed -n 's/^OPT_GTID=//p' "$SANDBOX_DIR/options")"
  fi
}


start_watcher() {
  # Stops the sandbox when process $1 (a test, a benchmark) ends, however it ends.
  local owner="$1" action="${SANDBOX_WATCH_ACTION:-stop}"
  [[ "$owner" =~ ^[0-9]+$ ]] || die "--watch needs a process id"
  [[ "$action" == stop || "$action" == destroy ]] || die "SANDBOX_WATCH_ACTION must be stop or destroy"
  kill -0 "$owner" 2>/dev/null || die "--watch: process $owner is not running"
  local self="$SCRIPT_DIR/sandbox"
  setsid bash -c '
    owner=$1 dir=$2 self=$3 action=$4
    while kill -0 "$owner" 2>/dev/null; do
      ls "$dir"/?/mysqld.pid >/dev/null 2>&1 || exit 0
      sleep 1
    done
    SANDBOX_DIR="$dir" "$self" "$action"
  ' sandbox-watch "$owner" "$SANDBOX_DIR" "$self" "$action" </dev/null >>"$SANDBOX_DIR/watch.log" 2>&1 &
  echo "$!" >"$SANDBOX_DIR/watch.pid"
}

