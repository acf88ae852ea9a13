#!/usr/bin/env bash
# Times twinlog's live reads against the bare connector read and against
# `mariadb-binlog --read-from-remote-server --raw` on the same server and the same
# binlog files, in the same run. Measured, never asserted: the figures are printed
# (and with --record appended to bench/RESULTS.md).
#
#   bench/compare_live.sh [--size-mb N] [--runs N] [--twinlog PATH] [--probe PATH]
#                         [--twinlog-before PATH] [--no-fsync-each-trx] [--record]
#
# Starts a MariaDB server of its own with tools/sandbox (one server, not wired, in
# a fresh SANDBOX_DIR, stopped on exit), fills its binlogs with about N MB of ROW
# events in the test database, closes the last file, then runs each of these once
# per round, in turn, and reports wall time, CPU time (user + sys) and throughput:
#   probe               bench/connector_probe: libmariadb's mariadb_rpl_open/fetch
#                       over every binlog, no decoding, no output (the floor)
#   twinlog             twinlog capture (default: fsync at a transaction boundary
#                       when caught up, else every second)
#   twinlog-fsync-each-trx, twinlog-fsync-3600   capture with --fsync-every 0 / 3600
#   mariadb-binlog      mariadb-binlog --read-from-remote-server --raw FILE...
#   stats-host          twinlog stats --host (the live read, decoded)
#   stats-files         twinlog stats on the files twinlog captured
#   twinlog-before      with --twinlog-before: that binary's capture (an older build)
# "output checked": every copy is compared with the server's files (cmp), the two
# stats reports with each other, and the probe's byte count with the files' size. The probe's path defaults to bench/connector_probe in the build
# directory twinlog is in.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size_mb=256
runs=3
twinlog=""
probe=""
before=""
fsync_each_trx=1
record=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --twinlog) twinlog=$2; shift 2 ;;
    --probe) probe=$2; shift 2 ;;
    --twinlog-before) before=$2; shift 2 ;;
    --no-fsync-each-trx) fsync_each_trx=0; shift ;;
    --record) record=1; shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "compare_live.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$twinlog" ]]; then
  for candidate in "$root"/build-live/tools/twinlog "$root"/build/tools/twinlog; do
    [[ -x "$candidate" ]] && twinlog=$candidate && break
  done
fi
[[ -x "$twinlog" ]] || { echo "compare_live.sh: no twinlog binary (give --twinlog)" >&2; exit 2; }
twinlog=$(cd "$(dirname "$twinlog")" && pwd)/$(basename "$twinlog")
[[ -n "$probe" ]] || probe=$(dirname "$(dirname "$twinlog")")/bench/connector_probe
[[ -x "$probe" ]] || { echo "compare_live.sh: no connector_probe at $probe (build the connector_probe target or give --probe)" >&2; exit 2; }
probe=$(realpath "$probe")
[[ -z "$before" ]] || before=$(realpath "$before")
command -v mariadb-binlog >/dev/null || { echo "compare_live.sh: mariadb-binlog not installed" >&2; exit 2; }

work=$(mktemp -d /tmp/twinlog-bench-live.XXXXXX)
export SANDBOX_DIR="$work/sandbox"
mkdir -p "$SANDBOX_DIR"
sandbox() { "$root/tools/sandbox" "$@"; }
cleanup() { sandbox destroy >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

echo "twinlog: $twinlog" >&2
echo "probe: $probe" >&2
echo "starting a server in $SANDBOX_DIR" >&2
sandbox start --no-wire --format ROW --extra 'max_binlog_size=268435456' --watch $$ >/dev/null
port=$(sandbox port A)
server_pid=$(sandbox status | awk '$1 == "A" { for (i = 2; i <= NF; i++) if ($i ~ /^pid=/) print substr($i, 5) }')
ticks=$(getconf CLK_TCK)
server_cpu() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }  # user + sys, in ticks
sql() { sandbox sql A "$1"; }

echo "filling about $size_mb MB of binlogs" >&2
sql "USE test; CREATE TABLE bench_t (id BIGINT PRIMARY KEY, n INT, v VARCHAR(1000))"
# Big multi-row transactions (many rows events each) and small ones (many events).
next=0
while :; do
  bytes=$(sql "SHOW BINARY LOGS" | awk '{s += $2} END {print s + 0}')
  (( bytes >= size_mb * 1024 * 1024 )) && break
  sql "USE test; INSERT INTO bench_t SELECT seq, seq % 97, REPEAT(CHAR(65 + seq % 26), 200 + seq % 700)
       FROM seq_$((next + 1))_to_$((next + 50000))"
  small=""
  for i in $(seq 1 500); do
    small+="BEGIN; UPDATE bench_t SET n = n + 1 WHERE id = $((next + i)); COMMIT; "
  done
  sql "USE test; $small"
  next=$((next + 50000))
done
sql "FLUSH BINARY LOGS"
mapfile -t files < <(sandbox binlogs A)
closed=("${files[@]:0:${#files[@]}-1}")
total=0
for f in "${closed[@]}"; do total=$((total + $(stat -c %s "$f"))); done
events=$(mariadb-binlog --no-defaults "${closed[@]}" 2>/dev/null | grep -c '^# at ' || true)
first=$(basename "${closed[0]}")
last=$(basename "${closed[-1]}")
echo "server: $(sql 'SELECT VERSION()'), ${#closed[@]} closed files $first..$last, $total bytes, $events events" >&2

# The copies stop at the end of the last closed file: twinlog by --stop-file, and
# mariadb-binlog by naming each closed file (it reads the named files only).
# label, dir, command...: prints "label wall user sys server-cpu" (seconds; the
# server's is what mariadbd used meanwhile, its dump thread's work); stdout kept in
# $work/label.out.
measure() {
  local label=$1 dir=$2 before_ticks status=0
  shift 2
  rm -rf "$dir"
  mkdir -p "$dir"
  before_ticks=$(server_cpu)
  (cd "$dir" && /usr/bin/time -o "$work/time.out" -f "%e %U %S" "$@" >"$work/$label.out" 2>"$work/err.out") || status=$?
  local server=$(( $(server_cpu) - before_ticks ))
  if (( status == 0 )); then
    echo "$label $(tail -1 "$work/time.out") $(awk -v t="$server" -v hz="$ticks" 'BEGIN { print t / hz }')"
  else
    echo "compare_live.sh: $label failed:" >&2
    cat "$work/err.out" >&2
    echo "$label-FAILED $(tail -1 "$work/time.out") 0"
  fi
}
verify() {  # dir [suffix]: every closed server file equals its copy
  local dir=$1 ok=1
  for f in "${closed[@]}"; do cmp -s "$f" "$dir/$(basename "$f")" || ok=0; done
  echo $ok
}

connect=(--no-defaults --user root --host 127.0.0.1 --port "$port")
loads=("$(uptime | sed 's/.*load average: //')")
results=()
for r in $(seq 1 "$runs"); do
  sync
  results+=("$(measure probe "$work/probe" "$probe" 127.0.0.1 "$port" root "$first")")
  # The probe has no output to compare: it must at least have been sent every byte.
  probe_bytes=$(sed -n 's/.* events, \([0-9]*\) bytes$/\1/p' "$work/err.out")
  results+=("verify-probe $(( ${probe_bytes:-0} >= total ? 1 : 0 ))")
  sync
  results+=("$(measure twinlog "$work/tw" "$twinlog" capture -q "${connect[@]}" --dir "$work/tw" --stop-file "$last")")
  results+=("verify-twinlog $(verify "$work/tw")")
  sync
  if [[ -n "$before" ]]; then
    results+=("$(measure twinlog-before "$work/twb" "$before" capture -q "${connect[@]}" --dir "$work/twb" --stop-file "$last")")
    results+=("verify-twinlog-before $(verify "$work/twb")")
    sync
  fi
  if (( fsync_each_trx )); then
    results+=("$(measure twinlog-fsync-each-trx "$work/tw0" "$twinlog" capture -q "${connect[@]}" --dir "$work/tw0" --stop-file "$last" --fsync-every 0)")
    results+=("verify-twinlog-fsync-each-trx $(verify "$work/tw0")")
    sync
  fi
  results+=("$(measure twinlog-fsync-3600 "$work/tw3600" "$twinlog" capture -q --no-defaults --user root --host 127.0.0.1 --port "$port" --dir "$work/tw3600" --stop-file "$last" --fsync-every 3600)")
  results+=("verify-twinlog-fsync-3600 $(verify "$work/tw3600")")
  sync
  results+=("$(measure mariadb-binlog "$work/mb" mariadb-binlog --no-defaults --read-from-remote-server --raw --host 127.0.0.1 --port "$port" --user root $(for f in "${closed[@]}"; do basename "$f"; done))")
  results+=("verify-mariadb-binlog $(verify "$work/mb")")
  results+=("$(measure stats-host "$work/sh" "$twinlog" stats "${connect[@]}" --start-file "$first" --stop-file "$last")")
  results+=("$(measure stats-files "$work/sf" "$twinlog" stats "${closed[@]/#*\//$work/tw/}")")
  # The same report from the server as from the captured files (their paths aside).
  same=1
  sed "s#$work/tw/##g" "$work/stats-files.out" | cmp -s - "$work/stats-host.out" || same=0
  results+=("verify-stats-host $same" "verify-stats-files $same")
  loads+=("$(uptime | sed 's/.*load average: //')")
done

report=$(printf '%s\n' "${results[@]}" | awk -v total="$total" '
  /^verify/ { ok[$1] = (ok[$1] == "" ? $2 : ok[$1] && $2); next }
  { n[$1]++; wall[$1] += $2; cpu[$1] += $3 + $4; srv[$1] += $5; if (min[$1] == "" || $2 < min[$1]) min[$1] = $2 }
  END {
    gib = total / 1073741824
    printf "| tool | runs | best wall s | mean wall s | MB/s (best) | CPU s per GiB (mean) | server CPU s per GiB (mean) | output checked |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    split("probe twinlog twinlog-before twinlog-fsync-3600 twinlog-fsync-each-trx mariadb-binlog stats-host stats-files", order, " ")
    for (i = 1; i in order; i++) {
      t = order[i]
      if (!(t in n)) continue
      printf "| %s | %d | %.3f | %.3f | %.0f | %.2f | %.2f | %s |\n", t, n[t], min[t], wall[t] / n[t],
             total / 1048576 / (min[t] > 0 ? min[t] : 0.001), cpu[t] / n[t] / gib, srv[t] / n[t] / gib,
             (ok["verify-" t] ? "yes" : "NO")
      meanwall[t] = wall[t] / n[t]; meancpu[t] = cpu[t] / n[t] / gib
    }
    if (("mariadb-binlog" in n) && ("twinlog" in n))
      printf "\ncapture vs mariadb-binlog (mean wall): %.2fx faster; probe vs mariadb-binlog: %.2fx\n",
             meanwall["mariadb-binlog"] / meanwall["twinlog"], meanwall["mariadb-binlog"] / meanwall["probe"]
    if (("stats-host" in n) && ("probe" in n) && ("stats-files" in n))
      printf "stats --host: %.3f s wall, %.2f CPU s/GiB; probe + stats on the files: %.3f s wall, %.2f CPU s/GiB\n",
             meanwall["stats-host"], meancpu["stats-host"], meanwall["probe"] + meanwall["stats-files"],
             meancpu["probe"] + meancpu["stats-files"]
  }')
echo "$report"
echo "load average (1, 5, 15 min) before the runs and after each round: ${loads[*]/%/;}"

if (( record )); then
  {
    echo
    echo "## Live capture vs mariadb-binlog --read-from-remote-server --raw ($(date -u +%Y-%m-%d))"
    echo
    echo "Command: \`bench/compare_live.sh --size-mb $size_mb --runs $runs --record\`"
    echo "Server: MariaDB $(sql 'SELECT VERSION()') on 127.0.0.1 (tools/sandbox, one server),"
    echo "${#closed[@]} closed binlog files, $total bytes, $events events; $(nproc) cores shared with other work."
    echo "twinlog: \`twinlog capture --dir D --stop-file $last\` (default: fsync at a transaction"
    echo "boundary when caught up, else every second), with \`--fsync-every 0\` (every transaction"
    echo "boundary) and \`--fsync-every 3600\`; mariadb-binlog: \`mariadb-binlog"
    echo "--read-from-remote-server --raw FILE...\` (no fsync); probe: bench/connector_probe;"
    echo "\`twinlog stats --host\` and \`twinlog stats\` on the captured files. Copies compared"
    echo "with the server's files (cmp), the two stats reports with each other. Load average"
    echo "before the runs and after each round: ${loads[*]/%/;}"
    echo
    echo "$report"
  } >> "$root/bench/RESULTS.md"
  echo "recorded in bench/RESULTS.md" >&2
fi
