#!/usr/bin/env bash
# skipped-errors: the collision of collision.sh on a pair whose replicas run
# with slave-skip-errors=1062, as the runbook suggests for a pair that only
# shares read load. Each replica skips the duplicate-key error and goes on:
# both threads say Yes, no error is shown, and the masters silently differ
# (A keeps ids 1 and 3 from A, B keeps id 1 from B and never gets id 3).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_scenario_options "$@"
t="$(scenario_table t)"
start_pair --same-offset --skip-errors 1062

sql A "USE test; CREATE TABLE $t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40));"
"$SANDBOX" wait-sync
sql A "STOP SLAVE SQL_THREAD"
sql B "STOP SLAVE SQL_THREAD"
read -r fa pa < <(binlog_pos A)
read -r fb pb < <(binlog_pos B)
sql A "USE test; INSERT INTO $t (v) VALUES ('from A 1'), ('from A 2');" &
sql B "USE test; INSERT INTO $t (v) VALUES ('from B 1');" &
wait
sql A "START SLAVE SQL_THREAD"
sql B "START SLAVE SQL_THREAD"
"$SANDBOX" wait-sync

ca="$(sql A "SELECT COUNT(*) FROM test.$t")"
cb="$(sql B "SELECT COUNT(*) FROM test.$t")"
[[ "$ca" != "$cb" ]] || fail "expected the row counts to differ (A $ca, B $cb)"
for s in A B; do
  [[ "$(slave_field $s Slave_SQL_Running)" == Yes && "$(slave_field $s Last_SQL_Errno)" == 0 ]] ||
    fail "replica $s should run without an error"
done
finish "Silent drift: slave-skip-errors=1062 (both cnf files). A's INSERT at a/$fa from position $pa and B's INSERT at b/$fb from position $pb both took id 1; each replica skipped the other's transaction. test.$t has $ca rows on A and $cb on B, both replicas say Yes with no error."
