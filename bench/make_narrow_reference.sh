#!/usr/bin/env bash
# bench/make_narrow_reference.sh: a reference binlog shaped like issue 2's (about
# 4.2 million row images of 11 narrow columns in 1 GiB, about 48 million cells):
# a ROW-format MariaDB master (tools/sandbox, 127.0.0.1, ANNOTATE_ROWS off) gets
# 100,000-row INSERT ... SELECT transactions from the sequence engine until its
# binlog reaches TARGET_MB, then A's binlog is copied to OUTDIR and the pair destroyed.
# Usage: bench/make_narrow_reference.sh [OUTDIR] [TARGET_MB]
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly OUTDIR="${1:-/tmp/twinlog-reference-narrow}"
readonly TARGET_MB="${2:-1024}"
case "$(realpath -m "$OUTDIR")/" in
  "$SOURCE_DIR"/*) echo "make_narrow_reference: $OUTDIR is inside the repository" >&2; exit 1 ;;
esac
SANDBOX_DIR="$(mktemp -d)"
export SANDBOX_DIR SANDBOX_EXTRA='binlog_annotate_row_events=OFF max_binlog_size=1073741824'
sandbox="$SOURCE_DIR/tools/sandbox"
trap '"$sandbox" destroy >/dev/null 2>&1 || true' EXIT
"$sandbox" start --format ROW --watch $$ >/dev/null
"$sandbox" sql A "CREATE TABLE test.narrow (id INT UNSIGNED PRIMARY KEY, a BIGINT, b SMALLINT,
  c DECIMAL(12,2), d DATETIME(6), e DATE, f VARCHAR(64), g VARCHAR(255), h DOUBLE, i TINYINT,
  j TIMESTAMP NULL) ENGINE=InnoDB"
batch=0
while :; do
  size=$("$sandbox" sql A "SELECT SUM(FILE_SIZE) FROM information_schema.BINARY_LOGS" 2>/dev/null || true)
  [ -n "$size" ] && [ "$size" != NULL ] || size=$(stat -c %s $("$sandbox" binlogs A) | paste -sd+ | bc)
  [ "$size" -ge $((TARGET_MB * 1024 * 1024)) ] && break
  from=$((batch * 100000))
  "$sandbox" sql A "INSERT INTO test.narrow SELECT seq + $from, seq * 7919, seq % 30000,
    (seq * 37) / 100, '2024-01-01' + INTERVAL seq SECOND + INTERVAL seq % 999999 MICROSECOND,
    '2000-01-01' + INTERVAL seq % 9000 DAY, CONCAT('name-', seq), REPEAT(MD5(seq), 3),
    seq / 7.0, seq % 100, FROM_UNIXTIME(1700000000 + seq) FROM test.seq_1_to_100000" >/dev/null
  batch=$((batch + 1))
done
"$sandbox" sql A "FLUSH BINARY LOGS" >/dev/null
mkdir -p "$OUTDIR"
mapfile -t binlogs < <("$sandbox" binlogs A)
unset 'binlogs[-1]'
cp "${binlogs[@]}" "$OUTDIR/"
ls -l "$OUTDIR"
