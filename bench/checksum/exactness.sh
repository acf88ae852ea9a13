#!/usr/bin/env bash
# bench/checksum/exactness.sh: which of checksum_methods' methods see three
# differences that compare equal or print alike, on the sandbox pair of
# make_table.sh. Each is planted on B alone (sql_log_bin=0) in its own table:
#   test.ck_float    a FLOAT 1.0 made 1.0000001192092896 (the next float up),
#   test.ck_null     an empty string made NULL,
#   test.ck_collate  'a' made 'A' (equal under utf8mb4_general_ci).
# A method that prints A=B for a table missed that table's difference.
#   exactness.sh [CHECKSUM_METHODS]   (default build/bench/checksum_methods)
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$SOURCE_DIR/bench/checksum/lib.sh"
methods="${1:-$SOURCE_DIR/build/bench/checksum_methods}"
ck_resolve_dir
ck_sql A "USE test; DROP TABLE IF EXISTS ck_float, ck_null, ck_collate;
CREATE TABLE ck_float (id INT PRIMARY KEY, f FLOAT NOT NULL);
INSERT INTO ck_float VALUES (1, 1.0), (2, 2.5);
CREATE TABLE ck_null (id INT PRIMARY KEY, s VARCHAR(10) NULL);
INSERT INTO ck_null VALUES (1, ''), (2, 'x');
CREATE TABLE ck_collate (id INT PRIMARY KEY, s VARCHAR(10) NOT NULL) DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_general_ci;
INSERT INTO ck_collate VALUES (1, 'a'), (2, 'b');"
"$SANDBOX" wait-sync 120 >/dev/null
ck_sql B "SET SESSION sql_log_bin = 0; USE test;
UPDATE ck_float SET f = 1.0000001192092896 WHERE id = 1;
UPDATE ck_null SET s = NULL WHERE id = 1;
UPDATE ck_collate SET s = 'A' WHERE id = 1;"
for t in ck_float ck_null ck_collate; do
  case $t in
    ck_float) planted="FLOAT 1.0 on A, 1.0000001192092896 on B" ;;
    ck_null) planted="'' on A, NULL on B" ;;
    ck_collate) planted="'a' on A, 'A' on B" ;;
  esac
  echo "== test.$t: $planted"
  "$methods" --port-a "$(ck_port A)" --port-b "$(ck_port B)" --table "test.$t" --both-only \
    --only 'checksum_table,(pt),md5,once,cli_text,cli_binary' | grep -v '/\|^table '
done
ck_sql A "USE test; DROP TABLE ck_float, ck_null, ck_collate"
"$SANDBOX" wait-sync 120 >/dev/null
