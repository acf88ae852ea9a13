# Shared by tools/scenarios/*.sh: option parsing, the sandbox, waiting, capture.
# Each scenario drives a fresh pair (in $SANDBOX_DIR, a fresh mktemp -d when
# unset) into its problem. Options:
#   --capture DIR   copy A's and B's binlogs and cnf files to DIR (a/, b/,
#                   master-a.cnf, master-b.cnf) once the problem is there
#   --stop          stop the pair at the end (default: leave it running)
#   --destroy       stop the pair and remove its directory at the end
#   --table NAME    the table of database test the scenario plants its problem
#                   in (default: the scenario's own, t or loop_t); also taken
#                   from SCENARIO_TABLE. Several scenarios can so share one pair.
# Environment: SANDBOX_WATCH_PID (stop the pair when that process ends;
# SANDBOX_WATCH_ACTION=destroy also removes it), and the SANDBOX_* variables
# of tools/sandbox --help.
set -euo pipefail

readonly SCENARIO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SANDBOX="$SCENARIO_DIR/../sandbox"
SCENARIO_NAME="$(basename "$0" .sh)"
CAPTURE_DIR=""
END_ACTION=keep

parse_scenario_options() {
  while (($#)); do
    case "$1" in
      --capture) CAPTURE_DIR="${2:?--capture needs a directory}"; shift 2 ;;
      --stop) END_ACTION=stop; shift ;;
      --destroy) END_ACTION=destroy; shift ;;
      --table) SCENARIO_TABLE="${2:?--table needs a table name}"; shift 2 ;;
      -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        sed -n '2,/^set -euo/p' "$SCENARIO_DIR/lib.sh" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
      *) echo "$SCENARIO_NAME: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
  done
  # It goes into the SQL unquoted: a plain name only.
  [[ -z "${SCENARIO_TABLE:-}" || "$SCENARIO_TABLE" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
    { echo "$SCENARIO_NAME: --table '$SCENARIO_TABLE': a plain table name of database test" >&2; exit 2; }
  if [[ -z "${SANDBOX_DIR:-}" ]]; then
    SANDBOX_DIR="$(mktemp -d "${TMPDIR:-/tmp}/twinlog-$SCENARIO_NAME.XXXXXX")"
  fi
  export SANDBOX_DIR
}

# scenario_table DEFAULT: the table the scenario works on (--table, SCENARIO_TABLE
# or DEFAULT).
scenario_table() { echo "${SCENARIO_TABLE:-$1}"; }

say() { echo "$SCENARIO_NAME: $*" >&2; }
fail() {
  echo "$SCENARIO_NAME: error: $*" >&2
  exit 1
}

start_pair() {
  local args=("$@")
  [[ -n "${SANDBOX_WATCH_PID:-}" ]] && args+=(--watch "$SANDBOX_WATCH_PID")
  "$SANDBOX" start "${args[@]}" >/dev/null
  # A failure from here on stops the pair, unless it should stay for inspection.
  trap 'rc=$?; if ((rc != 0)) && [[ $END_ACTION != keep ]]; then "$SANDBOX" stop || true; fi' EXIT
}

sql() { "$SANDBOX" sql "$@"; }

# client SERVER ARGS...: the mariadb client on that server of the pair; with it,
# slave_field SERVER FIELD [CONNECTION] from tools/lib/slave_status.sh.
client() { "$SANDBOX" client "$@"; }
source "$SCENARIO_DIR/../lib/slave_status.sh"

wait_until() {
  # wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
  local timeout="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for: $what"
    sleep 0.2
  done
}

binlog_pos() {
  # The current end of server $1's binlog: "file pos".
  sql "$1" "SHOW MASTER STATUS" | awk '{ print $1, $2 }'
}

finish() {
  # finish "what is wrong and where": capture, write the README line, end.
  local summary="$1"
  if [[ -n "$CAPTURE_DIR" ]]; then
    rm -rf "$CAPTURE_DIR/a" "$CAPTURE_DIR/b"
    "$SANDBOX" capture "$CAPTURE_DIR"
    {
      echo "# $SCENARIO_NAME"
      echo
      echo "$summary"
      echo
      echo "Captured by \`tools/scenarios/$SCENARIO_NAME.sh --capture\` from a MariaDB $(sql A 'SELECT VERSION()') pair"
      echo "built from samples/configs (master-a.cnf, master-b.cnf here are the exact files used)."
    } >"$CAPTURE_DIR/README.md"
    say "captured into $CAPTURE_DIR"
  fi
  echo "$summary"
  case "$END_ACTION" in
    stop) "$SANDBOX" stop ;;
    destroy) "$SANDBOX" destroy ;;
    keep) say "pair left running: export SANDBOX_DIR=$SANDBOX_DIR" ;;
  esac
  trap - EXIT
}
