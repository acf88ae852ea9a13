#!/usr/bin/env bash
# bench/checksum/compare.sh: `twinlog checksum` against pt-table-checksum on the
# same pair and the same table, idle and under the workload, in one run.
#
#   compare.sh TWINLOG [--rows N] [--table NAME] [--fresh] [--keep]
#
# Sets up the sandbox pair and test.NAME (default checksum_big, N rows, default
# 5000000) with make_table.sh unless both masters already hold it with N rows
# (--fresh: always rebuild it), builds nothing: TWINLOG is a twinlog binary and
# the workload is build/tools/workload/twinlog-workload (or $TWINLOG_WORKLOAD).
# A pair it starts it destroys again when it ends, however it ends, unless
# --keep (then the next run finds the table there); a pair that was running
# before it is left running.
# Then, idle and again with the workload running on both masters:
#   CHECKSUM TABLE on both masters at once (the reference the ratios are to),
#   pt-table-checksum the way that works here (run_pt.sh --no-refusals),
#   twinlog checksum --a 127.0.0.1:PORT --b 127.0.0.1:PORT --tables test.NAME,
# and prints for each: elapsed, rows/s, both servers' CPU, the tool's own CPU
# (user + sys), what it found, and elapsed as a multiple of CHECKSUM TABLE's. When TWINLOG has no `checksum`
# command yet, it says so and measures the rest.
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$SOURCE_DIR/bench/checksum/lib.sh"

twinlog="${1:-}"
[[ -n "$twinlog" && "$twinlog" != -* ]] || { sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
rows=5000000
table=checksum_big
fresh=0
keep=0
while (($#)); do
  case "$1" in
    --rows) rows="${2:?--rows needs a number}"; shift 2 ;;
    --table) table="${2:?--table needs a name}"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --keep) keep=1; shift ;;
    *) echo "compare: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$twinlog" ]] || { echo "compare: $twinlog is not an executable" >&2; exit 2; }
ck_workload_bin >/dev/null

have_table() {
  ck_resolve_dir 2>/dev/null && ck_pair_running &&
    [[ "$(ck_sql A "SELECT COUNT(*) FROM test.$table" 2>/dev/null)" == "$rows" &&
       "$(ck_sql B "SELECT COUNT(*) FROM test.$table" 2>/dev/null)" == "$rows" ]]
}
started_pair=0
if ! ck_resolve_dir 2>/dev/null || ! ck_pair_running; then
  started_pair=1
fi
results=()
log="$(mktemp)"
cleanup() {
  rm -f "$log" "$log.a" "$log.b" "$log.time"
  ck_workload_stop >/dev/null 2>&1 || true
  if ((started_pair && !keep)) && [[ -n "${SANDBOX_DIR:-}" ]]; then
    "$SANDBOX" destroy >/dev/null 2>&1 || true
    echo "compare: destroyed the pair it started ($SANDBOX_DIR)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if ((fresh)) || ! have_table; then
  eval "$("$SOURCE_DIR/bench/checksum/make_table.sh" --rows "$rows" --table "$table" | tee /dev/stderr | grep '^export SANDBOX_DIR=')"
  export SANDBOX_DIR
fi
"$SANDBOX" wait-sync 300 >/dev/null

twinlog_checksum=1
if ! "$twinlog" checksum --help >/dev/null 2>&1; then
  twinlog_checksum=0
  echo "compare: $twinlog has no 'checksum' command yet: measuring CHECKSUM TABLE and pt-table-checksum only"
fi

# checksum_table PHASE: CHECKSUM TABLE on both masters at once.
checksum_table() {
  local cpu0 t0 t1 cpu1 a b
  cpu0=$(ck_server_cpu)
  t0=$(ck_now)
  ck_sql A "CHECKSUM TABLE test.$table" >"$log.a" &
  local on_a=$!
  ck_sql B "CHECKSUM TABLE test.$table" >"$log.b"
  wait "$on_a"  # that one only: the workload runs in the background too
  t1=$(ck_now)
  cpu1=$(ck_server_cpu)
  a=$(cut -f2 "$log.a")
  b=$(cut -f2 "$log.b")
  rm -f "$log.a" "$log.b"
  ref_elapsed=$(ck_diff "$t0" "$t1")
  results+=("$1|CHECKSUM TABLE (both)|$ref_elapsed|$(ck_rate "$rows" "$ref_elapsed")|$(ck_diff "$cpu0" "$cpu1")|-|$([[ "$a" == "$b" ]] && echo "equal ($a)" || echo "A $a, B $b")")
}

# pt PHASE
pt() {
  local line
  "$SOURCE_DIR/bench/checksum/run_pt.sh" --no-refusals --table "$table" >"$log" 2>&1 || true
  sed 's/^/    /' "$log"
  line=$(grep "^pt-table-checksum: " "$log" | tail -1 || true)
  [[ -n "$line" ]] || { results+=("$1|pt-table-checksum|-|-|-|-|failed (above)"); return; }
  local elapsed rps cpu diffs client
  elapsed=$(sed 's/.* elapsed_s=\([^ ]*\).*/\1/' <<<"$line")
  rps=$(sed 's/.* rows_per_s=\([^ ]*\).*/\1/' <<<"$line")
  cpu=$(sed 's/.* server_cpu_s=\([^ ]*\).*/\1/' <<<"$line")
  diffs=$(sed 's/.* differing_chunks_on_B=\([^ ]*\).*/\1/' <<<"$line")
  client=$(sed 's/.* client_cpu_s=\([^ ]*\).*/\1/' <<<"$line")
  pt_elapsed=$elapsed
  results+=("$1|pt-table-checksum|$elapsed|$rps|$cpu|$client|$diffs differing chunks")
}

# twinlog PHASE
twinlog_run() {
  if ((twinlog_checksum == 0)); then
    results+=("$1|twinlog checksum|-|-|-|-|no checksum command in $twinlog")
    return
  fi
  local cpu0 t0 t1 cpu1 rc=0 elapsed
  echo "    \$ $twinlog checksum --a 127.0.0.1:$(ck_port A) --b 127.0.0.1:$(ck_port B) --tables test.$table"
  cpu0=$(ck_server_cpu)
  t0=$(ck_now)
  /usr/bin/time -f '%U %S' -o "$log.time" \
    "$twinlog" checksum --a "127.0.0.1:$(ck_port A)" --b "127.0.0.1:$(ck_port B)" --tables "test.$table" \
    >"$log" 2>&1 </dev/null || rc=$?
  t1=$(ck_now)
  cpu1=$(ck_server_cpu)
  sed 's/^/    /' "$log" | tail -20
  echo "    [exit status $rc]"
  elapsed=$(ck_diff "$t0" "$t1")
  twinlog_elapsed=$elapsed
  local client
  client=$(awk '{ printf "%.2f", $1 + $2 }' "$log.time")
  results+=("$1|twinlog checksum|$elapsed|$(ck_rate "$rows" "$elapsed")|$(ck_diff "$cpu0" "$cpu1")|$client|exit $rc, $(grep -ciE 'differ|missing|extra' "$log" || true) lines naming a difference")
}

# phase NAME: the three, then the ratios of this phase.
phase() {
  pt_elapsed=- twinlog_elapsed=- ref_elapsed=-
  echo "== $1 (load $(cut -d' ' -f1-3 /proc/loadavg))"
  checksum_table "$1"
  pt "$1"
  twinlog_run "$1"
  if [[ "$twinlog_elapsed" != - && "$pt_elapsed" != - ]]; then
    results+=("$1|pt-table-checksum / twinlog|$(awk -v p="$pt_elapsed" -v t="$twinlog_elapsed" 'BEGIN { printf "%.2fx", p / t }')||||")
  fi
}

echo "compare: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); pair $SANDBOX_DIR; test.$table $rows rows"
phase idle
ck_workload_start 7
phase "under load"
ck_workload_stop

printf '\n%-11s %-28s %9s %10s %11s %11s %9s  %s\n' phase tool elapsed_s rows_per_s server_cpu client_cpu "of CT" found
ref=
for r in "${results[@]}"; do
  IFS='|' read -r ph tool el rps cpu client found <<<"$r"
  [[ "$tool" == "CHECKSUM TABLE (both)" ]] && ref=$el
  ratio=-
  [[ "$el" =~ ^[0-9.]+$ && -n "$ref" ]] && ratio=$(awk -v e="$el" -v r="$ref" 'BEGIN { printf "%.1fx", e / r }')
  printf '%-11s %-28s %9s %10s %11s %11s %9s  %s\n' "$ph" "$tool" "$el" "$rps" "$cpu" "$client" "$ratio" "$found"
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
