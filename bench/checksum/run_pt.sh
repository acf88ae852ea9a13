#!/usr/bin/env bash
# bench/checksum/run_pt.sh: pt-table-checksum (Debian's percona-toolkit) on the
# sandbox pair of make_table.sh, on test.TABLE (default checksum_big).
#
#   run_pt.sh [--table NAME] [--timeout SECS] [--no-refusals]
#
# First (unless --no-refusals) what it does on the classic configuration as it
# is: it refuses B's ROW binlog format, then (told not to check that) the
# replication filters, then (told not to check those either) it creates its
# default percona.checksums on A and waits for it to reach B, which it never
# does: binlog-do-db=test keeps everything of the percona database out of A's
# binlog. That wait is cut after --timeout seconds (default 60).
# Then the way that works: --no-check-binlog-format
# --no-check-replication-filters --replicate=test.checksums, B from a DSN
# table. Prints its report and one summary line:
#   pt-table-checksum: table= rows= elapsed_s= rows_per_s= server_cpu_s= client_cpu_s= chunks=
#     diffs= differing_chunks_on_B=
# (diffs: its report's DIFFS column; differing_chunks_on_B: read back from B's
# test.checksums; server_cpu_s: both mariadbd processes' utime + stime over the run).
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$SOURCE_DIR/bench/checksum/lib.sh"

table=checksum_big
timeout_s=60
refusals=1
while (($#)); do
  case "$1" in
    --table) table="${2:?--table needs a name}"; shift 2 ;;
    --timeout) timeout_s="${2:?--timeout needs seconds}"; shift 2 ;;
    --no-refusals) refusals=0; shift ;;
    -h | --help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_pt: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v pt-table-checksum >/dev/null || {
  echo "run_pt: no pt-table-checksum (apt-get install percona-toolkit)" >&2
  exit 1
}
ck_resolve_dir
recursion="$(ck_pt_dsn_table)"
master="$(ck_pt_master_dsn)"
common=(--recursion-method="$recursion" --tables "test.$table")

# collapse: indents the lines read and folds a run of equal lines into one
# (the wait repeats its line every few seconds).
collapse() {
  awk '$0 == prev { n++; next }
    { if (n) print "  [the line above " n " more times]"; n = 0; prev = $0; print "  " $0 }
    END { if (n) print "  [the line above " n " more times]" }'
}

# show_run TITLE TIMEOUT COMMAND...: runs a pt-table-checksum that is expected
# to stop by itself (or to be cut at TIMEOUT), printing what it said.
show_run() {
  local title=$1 limit=$2 rc=0 t0 t1
  shift 2
  echo "== $title"
  echo "\$ $*"
  t0=$(ck_now)
  # pt-table-checksum only notes a SIGTERM while it waits for its table: KILL 5 s later.
  # (bash's own "Killed" notice for it goes to /dev/null: pt's output is in the pipe)
  { timeout -k 5 "$limit" "$@" 2>&1 | collapse || rc=${PIPESTATUS[0]}; } 2>/dev/null
  t1=$(ck_now)
  if ((rc == 124 || rc == 137)); then
    echo "  [still running after $(ck_diff "$t0" "$t1") s: cut by timeout $limit]"
  else
    echo "  [exit status $rc after $(ck_diff "$t0" "$t1") s]"
  fi
}

if ((refusals)); then
  pt_version="$(pt-table-checksum --version)"
  echo "$pt_version; A $(ck_sql A "SELECT @@version, @@binlog_format" | tr '\t' ' '), B $(ck_sql B "SELECT @@version, @@binlog_format" | tr '\t' ' ')"
  show_run "as it is (the classic configuration)" 120 \
    pt-table-checksum "${common[@]}" "$master"
  show_run "--no-check-binlog-format" 120 \
    pt-table-checksum --no-check-binlog-format "${common[@]}" "$master"
  show_run "--no-check-binlog-format --no-check-replication-filters (default --replicate=percona.checksums)" "$timeout_s" \
    pt-table-checksum --no-check-binlog-format --no-check-replication-filters "${common[@]}" "$master"
  echo "  percona.checksums on A: $(ck_sql A "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'percona' AND TABLE_NAME = 'checksums'"), on B: $(ck_sql B "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'percona' AND TABLE_NAME = 'checksums'")"
  # Never logged (binlog-do-db=test), so dropping it on A leaves B as it was.
  ck_sql A "DROP DATABASE IF EXISTS percona" >/dev/null
fi

# A fresh results table, so that what is read back is this run's.
ck_sql A "USE test; DROP TABLE IF EXISTS checksums" >/dev/null
ck_b_caught_up 300
# shellcheck disable=SC2207
working=($(ck_pt_working_options))
echo "== the way that works"
echo "\$ pt-table-checksum ${working[*]} ${common[*]} $master"
out="$(mktemp)"
times="$(mktemp)"
trap 'rm -f "$out" "$times"' EXIT
cpu0=$(ck_server_cpu)
t0=$(ck_now)
rc=0
/usr/bin/time -o "$times" -f '%U %S' pt-table-checksum "${working[@]}" "${common[@]}" "$master" >"$out" 2>&1 || rc=$?
t1=$(ck_now)
cpu1=$(ck_server_cpu)
sed 's/^/  /' "$out"
echo "  [exit status $rc]"
elapsed=$(ck_diff "$t0" "$t1")
# The report's columns by their header names (TS ERRORS DIFFS ROWS ... TABLE).
read -r rows chunks diffs < <(awk '$1 == "TS" { for (i = 1; i <= NF; i++) col[$i] = i; next }
  col["TABLE"] && $col["TABLE"] != "" && $1 != "TS" { print $col["ROWS"], $col["CHUNKS"], $col["DIFFS"] }' "$out" | tail -1)
client_cpu=$(tail -1 "$times" | awk '{ printf "%.2f", $1 + $2 }')
echo "pt-table-checksum: table=test.$table rows=${rows:--} elapsed_s=$elapsed rows_per_s=$(ck_rate "${rows:-0}" "$elapsed") server_cpu_s=$(ck_diff "$cpu0" "$cpu1") client_cpu_s=$client_cpu chunks=${chunks:--} diffs=${diffs:--} differing_chunks_on_B=$(ck_pt_diffs "$table")"
