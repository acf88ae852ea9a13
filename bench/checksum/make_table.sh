#!/usr/bin/env bash
# bench/checksum/make_table.sh: the table the checksum measurements read, on a
# running master-master sandbox pair (tools/sandbox, the classic configuration
# of samples/configs: binlog-do-db=test, replicate-do-db=test, both ways, ROW).
#
#   make_table.sh [--rows N] [--table NAME]   start the pair when there is none
#                                             ($SANDBOX_DIR or the remembered
#                                             one), create test.NAME (default
#                                             checksum_big) with N rows (default
#                                             5000000) on A, wait until B has it
#   make_table.sh --workload-start [SEED]     the replicated workload
#   make_table.sh --workload-stop             (tools/workload) on both masters,
#                                             in the background, and its end
#
# The rows go in as INSERT ... SELECT from MariaDB's sequence engine, 500,000 a
# statement on A, replicated to B as row events; the columns are the issue's:
# int key, int, varchar(64), char(30), decimal, datetime, double (some NULLs,
# so that NULL against '' matters). The buffer pools are raised to 1 GiB so that
# the measured scans read memory, not the disk.
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$SOURCE_DIR/bench/checksum/lib.sh"

rows=5000000
table=checksum_big
action=table
seed=1
while (($#)); do
  case "$1" in
    --rows) rows="${2:?--rows needs a number}"; shift 2 ;;
    --table) table="${2:?--table needs a name}"; shift 2 ;;
    --workload-start) action=workload-start; [[ "${2:-}" =~ ^[0-9]+$ ]] && { seed=$2; shift; }; shift ;;
    --workload-stop) action=workload-stop; shift ;;
    -h | --help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "make_table: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

readonly WORKLOAD_PIDFILE_NAME=checksum-workload.pid
case "$action" in
  workload-start)
    ck_resolve_dir
    ck_workload_start "$seed"
    echo "$CK_WORKLOAD_PID" >"$SANDBOX_DIR/$WORKLOAD_PIDFILE_NAME"
    echo "make_table: workload running (pid $CK_WORKLOAD_PID, seed $seed); stop it with --workload-stop"
    exit 0
    ;;
  workload-stop)
    ck_resolve_dir
    pidfile="$SANDBOX_DIR/$WORKLOAD_PIDFILE_NAME"
    [[ -f "$pidfile" ]] || { echo "make_table: no workload running"; exit 0; }
    pid="$(cat "$pidfile")"
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    rm -f "$pidfile"
    "$SANDBOX" wait-sync 300 >/dev/null
    echo "make_table: workload stopped, pair in sync"
    exit 0
    ;;
esac

if ! ck_resolve_dir 2>/dev/null || ! ck_pair_running; then
  eval "$("$SANDBOX" start --format ROW | grep '^export SANDBOX_DIR=')"
  export SANDBOX_DIR
fi
echo "make_table: pair in $SANDBOX_DIR (A port $(ck_port A), B port $(ck_port B))"
for s in A B; do
  ck_sql "$s" "SET GLOBAL innodb_buffer_pool_size = 1073741824" >/dev/null
done

t0=$(ck_now)
# With binlog-do-db=test a statement is logged only when its default database is
# test: hence the USE before each (without it B never gets the table).
ck_sql A "USE test; DROP TABLE IF EXISTS $table"
ck_sql A "USE test; CREATE TABLE $table (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  qty INT NULL,
  name VARCHAR(64) NULL,
  code CHAR(30) NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  created DATETIME NOT NULL,
  score DOUBLE NULL
) ENGINE=InnoDB"
step=500000
for ((first = 1; first <= rows; first += step)); do
  n=$((rows - first + 1 < step ? rows - first + 1 : step))
  ck_sql A "USE test; INSERT INTO $table
    SELECT $first - 1 + seq,
           IF(seq % 97 = 0, NULL, ($first - 1 + seq) * 7919 % 2000000011),
           IF(seq % 101 = 0, '', CONCAT('customer-', $first - 1 + seq, '-', LEFT(MD5($first + seq), 20))),
           LEFT(SHA1($first - 1 + seq), 30),
           (($first - 1 + seq) * 37 % 100000000) / 100,
           '2024-01-01' + INTERVAL ($first - 1 + seq) SECOND,
           IF(seq % 89 = 0, NULL, ($first - 1 + seq) / 7.0)
    FROM seq_1_to_$n"
done
t1=$(ck_now)
"$SANDBOX" wait-sync 600 >/dev/null
t2=$(ck_now)
count_a=$(ck_sql A "SELECT COUNT(*) FROM test.$table")
count_b=$(ck_sql B "SELECT COUNT(*) FROM test.$table")
echo "make_table: test.$table: $count_a rows on A, $count_b on B; loaded on A in $(ck_diff "$t0" "$t1") s, on B $(ck_diff "$t1" "$t2") s later"
[[ "$count_a" == "$rows" && "$count_b" == "$rows" ]]
echo "export SANDBOX_DIR=$SANDBOX_DIR"
