#!/usr/bin/env bash
# bench/checksum/pt_blind_spots.sh: drift that pt-table-checksum's default
# checksum, BIT_XOR(CRC32(CONCAT_WS('#', cols...))) per chunk, cannot see, on the
# sandbox pair of make_table.sh.
#
#   pt_blind_spots.sh [--keep]
#
# 1. test.pt_blind (id, name, status, flag): rows 17#alice smith#pending#0 and
#    90321#bob#pending#0 in the one chunk of a small table, both changed to
#    shipped on B with sql_log_bin=0. CRC32 is linear over GF(2): for strings of
#    one length, the change of CRC32 is the CRC of the XOR of the two strings,
#    and both rows' strings change by the same bytes at the same distance from
#    their end, so both CRCs change by the same value and BIT_XOR cancels it.
# 2. test.pt_blind_nokey, no key: two identical rows changed alike on B; their
#    CRCs are equal before and after, so XOR cancels them.
# 3. test.pt_blind_float: a FLOAT 1.0 made 1.0000001192092896 (the next float
#    up) on B: CONCAT_WS prints both as 1, so their CRCs are equal.
# 4. test.pt_blind_one: one row changed on B, the control: pt finds that one.
# Each step prints the rows and the chunk aggregates on both masters, then
# pt-table-checksum (the way that works on this pair) reports. The tables are
# dropped at the end unless --keep.
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$SOURCE_DIR/bench/checksum/lib.sh"
keep=0
case "${1:-}" in
  --keep) keep=1 ;;
  "") ;;
  -h | --help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "pt_blind_spots: unknown option $1" >&2; exit 2 ;;
esac
ck_resolve_dir

ck_sql A "USE test; DROP TABLE IF EXISTS pt_blind, pt_blind_nokey, pt_blind_one, pt_blind_float;
CREATE TABLE pt_blind (id INT NOT NULL PRIMARY KEY, name VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL, flag INT NOT NULL) ENGINE=InnoDB;
INSERT INTO pt_blind SELECT seq, CONCAT('customer ', seq), 'paid', 1 FROM seq_1_to_100 WHERE seq <> 17;
INSERT INTO pt_blind VALUES (17, 'alice smith', 'pending', 0), (90321, 'bob', 'pending', 0);
CREATE TABLE pt_blind_nokey (name VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL) ENGINE=InnoDB;
INSERT INTO pt_blind_nokey VALUES ('carol', 'pending'), ('carol', 'pending'), ('dave', 'paid');
CREATE TABLE pt_blind_one LIKE pt_blind;
INSERT INTO pt_blind_one SELECT * FROM pt_blind;
CREATE TABLE pt_blind_float (id INT NOT NULL PRIMARY KEY, f FLOAT NOT NULL) ENGINE=InnoDB;
INSERT INTO pt_blind_float VALUES (1, 1.0), (2, 2.5);"
"$SANDBOX" wait-sync 120 >/dev/null

# The edits, on B only: sql_log_bin=0 keeps them out of B's binlog, so A never
# gets them.
ck_sql B "SET SESSION sql_log_bin = 0; USE test;
UPDATE pt_blind SET status = 'shipped' WHERE id IN (17, 90321);
UPDATE pt_blind_nokey SET name = 'erin' WHERE name = 'carol';
UPDATE pt_blind_one SET status = 'shipped' WHERE id = 17;
UPDATE pt_blind_float SET f = 1.0000001192092896 WHERE id = 1;"

# aggregates TABLE COLS: the chunk aggregates pt computes (count, BIT_XOR of
# CRC32) and a non-linear 64-bit one (the sum of the first 64 bits of MD5).
aggregates() {
  local s
  for s in A B; do
    printf '  %s: ' "$s"
    ck_sql "$s" "SELECT CONCAT('count ', COUNT(*), '  BIT_XOR(CRC32) ',
      LOWER(CONV(BIT_XOR(CRC32(CONCAT_WS('#', $2))), 10, 16)), '  SUM(MD5 64-bit) ',
      SUM(CAST(CONV(LEFT(MD5(CONCAT_WS('#', $2)), 16), 16, 10) AS UNSIGNED)) % 18446744073709551616)
      FROM test.$1"
  done
}

# rows TABLE COLS WHERE: the rows' CONCAT_WS strings and CRC32s on A and B.
rows() {
  local s
  for s in A B; do
    ck_sql "$s" "SELECT CONCAT('  $s: ', CONCAT_WS('#', $2), '  crc32 ', LOWER(HEX(CRC32(CONCAT_WS('#', $2)))))
      FROM test.$1 WHERE $3"
  done
}

echo "== 1. two rows of one chunk, pending -> shipped on B (test.pt_blind, $(ck_sql A "SELECT COUNT(*) FROM test.pt_blind") rows)"
rows pt_blind "id, name, status, flag" "id IN (17, 90321)"
aggregates pt_blind "id, name, status, flag"
echo "== 2. two identical rows of a table without a key, carol -> erin on B (test.pt_blind_nokey)"
rows pt_blind_nokey "name, status" "name IN ('carol', 'erin')"
aggregates pt_blind_nokey "name, status"
echo "== 3. a FLOAT's last bit on B (test.pt_blind_float)"
rows pt_blind_float "id, f" "id = 1"
aggregates pt_blind_float "id, f"
echo "== 4. control: one row, pending -> shipped on B (test.pt_blind_one)"
rows pt_blind_one "id, name, status, flag" "id = 17"
aggregates pt_blind_one "id, name, status, flag"

# shellcheck disable=SC2207
working=($(ck_pt_working_options))
recursion="$(ck_pt_dsn_table)"
echo "== pt-table-checksum"
echo "\$ pt-table-checksum ${working[*]} --recursion-method=$recursion --tables test.pt_blind,test.pt_blind_nokey,test.pt_blind_float,test.pt_blind_one $(ck_pt_master_dsn)"
rc=0
pt-table-checksum "${working[@]}" --recursion-method="$recursion" \
  --tables test.pt_blind,test.pt_blind_nokey,test.pt_blind_float,test.pt_blind_one "$(ck_pt_master_dsn)" 2>&1 | sed 's/^/  /' || rc=${PIPESTATUS[0]}
echo "  [exit status $rc]"
for t in pt_blind:2 pt_blind_nokey:2 pt_blind_float:1 pt_blind_one:1; do
  echo "  test.${t%:*}: rows differing on B: ${t#*:}; chunks pt-table-checksum finds differing: $(ck_pt_diffs "${t%:*}")"
done

if ((keep == 0)); then
  ck_sql A "USE test; DROP TABLE IF EXISTS pt_blind, pt_blind_nokey, pt_blind_one, pt_blind_float" >/dev/null
  "$SANDBOX" wait-sync 120 >/dev/null
fi
