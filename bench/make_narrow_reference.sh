#!/usr/bin/env bash
# bench/make_narrow_reference.sh: a reference binlog shaped like issue 2's: a 1 GiB
# ROW-format binlog of narrow rows from a MariaDB master (tools/sandbox, 127.0.0.1,
# ANNOTATE_ROWS off). Two shapes:
#   issue (default)  100-row INSERT ... SELECT transactions into an 11-column table
#                    with a ~190-byte VARCHAR: about 290,000 events, 4.2 million row
#                    images and 46 million cells per GiB, as the issue describes;
#   dense            100,000-row transactions, a ~96-byte VARCHAR: about 130,000
#                    events, 6.9 million row images and 76 million cells per GiB.
# Rows go in until A's binlog reaches TARGET_MB, then the closed binlog is copied to
# OUTDIR and the pair destroyed.
# Usage: bench/make_narrow_reference.sh [OUTDIR] [TARGET_MB] [issue|dense]
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly OUTDIR="${1:-/tmp/twinlog-reference-narrow}"
readonly TARGET_MB="${2:-1024}"
readonly SHAPE="${3:-issue}"
case "$SHAPE" in
  issue) rows=100; text='LEFT(REPEAT(MD5(seq), 6), 190)'; per_call=2000 ;;
  dense) rows=100000; text='REPEAT(MD5(seq), 3)'; per_call=1 ;;
  *) echo "make_narrow_reference: shape is issue or dense, not $SHAPE" >&2; exit 2 ;;
esac
source "$SOURCE_DIR/bench/reference_lib.sh"
refuse_outdir_in_repository "$OUTDIR" make_narrow_reference
SANDBOX_DIR="$(mktemp -d)"
export SANDBOX_DIR SANDBOX_EXTRA='binlog_annotate_row_events=OFF max_binlog_size=1073741824'
sandbox="$SOURCE_DIR/tools/sandbox"
trap '"$sandbox" destroy >/dev/null 2>&1 || true' EXIT
"$sandbox" start --format ROW --watch $$ >/dev/null
# Durability is not what is measured: commits need not wait for the disk.
"$sandbox" sql A "SET GLOBAL sync_binlog = 0, GLOBAL innodb_flush_log_at_trx_commit = 0" >/dev/null
"$sandbox" sql A "CREATE TABLE test.narrow (id INT UNSIGNED PRIMARY KEY, a BIGINT, b SMALLINT,
  c DECIMAL(12,2), d DATETIME(6), e DATE, f VARCHAR(64), g VARCHAR(255), h DOUBLE, i TINYINT,
  j TIMESTAMP NULL) ENGINE=InnoDB"
# fill(n): n autocommitted INSERT ... SELECT statements of $rows rows each, ids
# continuing from the table's largest.
"$sandbox" client A --delimiter='//' -e "CREATE PROCEDURE test.fill(n INT)
BEGIN
  DECLARE k INT DEFAULT 0;
  DECLARE base BIGINT;
  WHILE k < n DO
    SELECT COALESCE(MAX(id), 0) INTO base FROM test.narrow;
    INSERT INTO test.narrow SELECT base + seq, (base + seq) * 7919, seq % 30000,
      ((base + seq) * 37) / 100, '2024-01-01' + INTERVAL (base + seq) SECOND + INTERVAL seq % 999999 MICROSECOND,
      '2000-01-01' + INTERVAL (base + seq) % 9000 DAY, CONCAT('name-', base + seq), $text,
      (base + seq) / 7.0, seq % 100, FROM_UNIXTIME(1700000000 + base + seq) FROM test.seq_1_to_$rows;
    SET k = k + 1;
  END WHILE;
END" >/dev/null
while :; do
  size=$("$sandbox" sql A "SELECT SUM(FILE_SIZE) FROM information_schema.BINARY_LOGS" 2>/dev/null || true)
  [ -n "$size" ] && [ "$size" != NULL ] || size=$(stat -c %s $("$sandbox" binlogs A) | paste -sd+ | bc)
  [ "$size" -ge $((TARGET_MB * 1024 * 1024)) ] && break
  "$sandbox" sql A "CALL test.fill($per_call)" >/dev/null
done
copy_closed_binlogs "$OUTDIR"
