# shellcheck shell=bash
# Shared by bench/checksum/*.sh: the sandbox pair they measure on, the servers'
# CPU from /proc, the workload that loads both masters, and a timer.
# Sourced after SOURCE_DIR is set. Every script works on the pair named by
# $SANDBOX_DIR (or the sandbox remembered in $SANDBOX_STATE_FILE), as
# tools/sandbox does; make_table.sh starts one when there is none.

readonly SANDBOX="$SOURCE_DIR/tools/sandbox"

# ck_sql A|B SQL: one statement on one master, output as `mariadb -N -B`.
ck_sql() { "$SANDBOX" sql "$@"; }

# ck_port A|B
ck_port() { "$SANDBOX" port "$1"; }

# ck_pair_running: true when both servers of the pair answer.
ck_pair_running() {
  ck_sql A "SELECT 1" >/dev/null 2>&1 && ck_sql B "SELECT 1" >/dev/null 2>&1
}

# ck_pids: the process ids of A's and B's mariadbd, one a line.
ck_pids() {
  local s d
  for s in A B; do
    d="$("$SANDBOX" datadir "$s")"
    cat "$d/../mysqld.pid"
  done
}

# ck_server_cpu: both mariadbd processes' utime + stime so far, in seconds
# (fields 14 and 15 of /proc/PID/stat, in clock ticks).
ck_server_cpu() {
  local hz pid total=0 fields
  hz="$(getconf CLK_TCK)"
  for pid in $(ck_pids); do
    # The command name (field 2) may hold spaces: cut after its closing paren.
    fields="$(sed 's/^.*) //' "/proc/$pid/stat")"
    # shellcheck disable=SC2086
    set -- $fields
    total=$((total + ${12} + ${13}))
  done
  awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# ck_now: wall clock in seconds with nanoseconds.
ck_now() { date +%s.%N; }

# ck_diff A B: B - A with two decimals.
ck_diff() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ck_rate ROWS SECONDS: rows per second, whole.
ck_rate() { awk -v r="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", r / s; else print "-" }'; }

# ck_workload_bin: the twinlog-workload binary (built in build/ by default).
ck_workload_bin() {
  local bin="${TWINLOG_WORKLOAD:-$SOURCE_DIR/build/tools/workload/twinlog-workload}"
  [[ -x "$bin" ]] || {
    echo "bench/checksum: no $bin (ninja -C build twinlog-workload, or set TWINLOG_WORKLOAD)" >&2
    return 1
  }
  echo "$bin"
}

# ck_workload_start [SEED]: the seeded replicated workload on both masters in
# the background (its own tables test.wl_*, not the measured one), until
# ck_workload_stop. Sets CK_WORKLOAD_PID.
ck_workload_start() {
  local bin
  bin="$(ck_workload_bin)" || return 1
  "$bin" --sandbox "$SANDBOX_DIR" --seed "${1:-1}" --transactions 100000000 --quiet \
    >"${TMPDIR:-/tmp}/checksum-workload.$$.log" 2>&1 &
  CK_WORKLOAD_PID=$!
  sleep 2
  kill -0 "$CK_WORKLOAD_PID" 2>/dev/null || {
    echo "bench/checksum: the workload stopped at once:" >&2
    cat "${TMPDIR:-/tmp}/checksum-workload.$$.log" >&2
    return 1
  }
}

# ck_workload_stop: ends the workload started by ck_workload_start, then lets the
# pair catch up.
ck_workload_stop() {
  [[ -n "${CK_WORKLOAD_PID:-}" ]] || return 0
  kill "$CK_WORKLOAD_PID" 2>/dev/null || true
  wait "$CK_WORKLOAD_PID" 2>/dev/null || true
  CK_WORKLOAD_PID=
  "$SANDBOX" wait-sync 300 >/dev/null
}

# ck_resolve_dir: sets and exports SANDBOX_DIR from the remembered sandbox when it
# is unset (the workload takes the directory, not the state file).
ck_resolve_dir() {
  [[ -n "${SANDBOX_DIR:-}" ]] && return 0
  local line
  line="$("$SANDBOX" env 2>/dev/null | grep '^export SANDBOX_DIR=')" || {
    echo "bench/checksum: no sandbox (run bench/checksum/make_table.sh first, or set SANDBOX_DIR)" >&2
    return 1
  }
  export SANDBOX_DIR="${line#export SANDBOX_DIR=}"
}

# ck_pt_dsn_table: the DSN table pt-table-checksum's --recursion-method=dsn reads
# on A (test.checksum_dsns, one row: B), created in test so that it replicates
# like everything else; prints the --recursion-method value.
ck_pt_dsn_table() {
  ck_sql A "USE test; CREATE TABLE IF NOT EXISTS checksum_dsns (id INT AUTO_INCREMENT PRIMARY KEY,
    parent_id INT NULL, dsn VARCHAR(255) NOT NULL)" >/dev/null
  ck_sql A "USE test; DELETE FROM checksum_dsns;
    INSERT INTO checksum_dsns (dsn) VALUES ('h=127.0.0.1,P=$(ck_port B),u=root')" >/dev/null
  echo "dsn=h=127.0.0.1,P=$(ck_port A),u=root,D=test,t=checksum_dsns"
}

# ck_pt_master_dsn: pt-table-checksum's DSN of master A.
ck_pt_master_dsn() { echo "h=127.0.0.1,P=$(ck_port A),u=root"; }

# ck_pt_working_options: the options with which pt-table-checksum runs on the
# classic pair at all (it refuses B's ROW format and the filters otherwise, and
# its default percona.checksums never reaches B past binlog-do-db=test).
ck_pt_working_options() {
  echo "--no-check-binlog-format --no-check-replication-filters --replicate=test.checksums"
}

# ck_pt_diffs TABLE: the chunks of test.TABLE whose checksum differs on B, from
# B's copy of pt-table-checksum's test.checksums (as its --replicate-check does).
ck_pt_diffs() {
  ck_sql B "SELECT COUNT(*) FROM test.checksums WHERE db = 'test' AND tbl = '$1' AND
    (master_cnt <> this_cnt OR master_crc <> this_crc OR ISNULL(master_crc) <> ISNULL(this_crc))"
}

# ck_b_caught_up [SECS]: waits until B has executed A's binlog up to A's current
# position (MASTER_POS_WAIT). Unlike `tools/sandbox wait-sync`, which waits for
# both masters to be level at one moment, it ends under a steady workload too.
ck_b_caught_up() {
  local file pos rest got
  read -r file pos rest < <(ck_sql A "SHOW MASTER STATUS")
  got="$(ck_sql B "SELECT MASTER_POS_WAIT('$file', $pos, ${1:-300})")"
  [[ "$got" =~ ^[0-9]+$ ]] || {
    echo "bench/checksum: B did not reach A's $file:$pos ($got)" >&2
    return 1
  }
}
