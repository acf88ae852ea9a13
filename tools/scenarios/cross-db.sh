#!/usr/bin/env bash
# cross-db: statement-format statements whose default database (USE) is not
# the database they change, under the runbook's binlog-do-db=test and
# replicate-do-db=test. Both filters look at the default database only:
#  - on A, `USE mysql; INSERT INTO test.t ...` changes test.t but A does not
#    log it (default database mysql): B never gets the row;
#  - on B, `USE other; INSERT INTO test.t ...` likewise stays on B;
#  - on B, `USE test; UPDATE other.t ...` is logged and A applies it: the
#    database "other", which the pair is not meant to replicate, is changed
#    on A through B's binlog.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_scenario_options "$@"
t="$(scenario_table t)"
start_pair --format STATEMENT

# "other" exists on both masters, created on each (CREATE DATABASE other is
# not logged under binlog-do-db=test).
for s in A B; do
  sql $s "CREATE DATABASE other; USE other;
CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(60));
INSERT INTO t VALUES (1, 'other 1');"
done
sql A "USE test; CREATE TABLE $t (id INT PRIMARY KEY, v VARCHAR(60));
INSERT INTO $t VALUES (1, 'replicated 1');"
"$SANDBOX" wait-sync

read -r fa pa < <(binlog_pos A)
sql A "USE mysql; INSERT INTO test.$t VALUES (100, 'A: USE mysql, never logged');"
read -r fa2 pa2 < <(binlog_pos A)
[[ "$fa:$pa" == "$fa2:$pa2" ]] || fail "A logged the USE mysql insert"
read -r fb pb < <(binlog_pos B)
sql B "USE other; INSERT INTO test.$t VALUES (200, 'B: USE other, never logged');"
read -r fb2 pb2 < <(binlog_pos B)
sql B "USE test; UPDATE other.t SET v = 'changed on B through USE test' WHERE id = 1;"
"$SANDBOX" wait-sync

[[ "$(sql A "SELECT COUNT(*) FROM test.$t WHERE id = 100")" == 1 ]] || fail "A lacks its own row 100"
[[ "$(sql B "SELECT COUNT(*) FROM test.$t WHERE id = 100")" == 0 ]] || fail "B has row 100"
[[ "$(sql B "SELECT COUNT(*) FROM test.$t WHERE id = 200")" == 1 ]] || fail "B lacks its own row 200"
[[ "$(sql A "SELECT COUNT(*) FROM test.$t WHERE id = 200")" == 0 ]] || fail "A has row 200"
[[ "$(sql A "SELECT v FROM other.t WHERE id = 1")" == "changed on B through USE test" ]] ||
  fail "A did not apply B's UPDATE other.t"
finish "Cross-database statements under binlog_format=STATEMENT: test.$t row 100 exists only on A (\`USE mysql; INSERT INTO test.$t\`, not logged: A's binlog stays at a/$fa position $pa), row 200 only on B (\`USE other; INSERT INTO test.$t\`, not logged: b/$fb position $pb); B's \`USE test; UPDATE other.t\` at b/$fb2 from position $pb2 was logged and applied by A, changing database other, which the pair does not replicate."
