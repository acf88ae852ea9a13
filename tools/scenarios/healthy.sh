#!/usr/bin/env bash
# healthy: the classic pair, writes on both masters, everything replicated.
# Both masters end with identical tables (CHECKSUM TABLE equal) and both
# replica threads running.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_scenario_options "$@"
t="$(scenario_table t)"
start_pair

sql A "USE test;
CREATE TABLE $t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40), n INT NOT NULL DEFAULT 0);
INSERT INTO $t (v) VALUES ('a1'), ('a2'), ('a3');"
"$SANDBOX" wait-sync
sql B "USE test;
INSERT INTO $t (v) VALUES ('b1'), ('b2');
UPDATE $t SET n = n + 1 WHERE v LIKE 'a%';"
"$SANDBOX" wait-sync
sql A "USE test;
BEGIN; INSERT INTO $t (v) VALUES ('a4'); DELETE FROM $t WHERE v = 'a2'; COMMIT;"
"$SANDBOX" wait-sync

a="$(sql A "CHECKSUM TABLE test.$t" | cut -f2)"
b="$(sql B "CHECKSUM TABLE test.$t" | cut -f2)"
[[ "$a" == "$b" ]] || fail "test.$t differs between A ($a) and B ($b)"
read -r fa pa < <(binlog_pos A)
read -r fb pb < <(binlog_pos B)
finish "Nothing is wrong: test.$t is identical on A and B (CHECKSUM TABLE $a), both replicas run; A's binlog ends at $fa:$pa, B's at $fb:$pb."
