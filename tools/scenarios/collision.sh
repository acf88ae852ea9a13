#!/usr/bin/env bash
# collision: both masters run with auto_increment_offset=1 (the runbook's
# offsets copied from one machine to the other). Each master inserts into the
# same AUTO_INCREMENT table while the other's inserts are still in flight, so
# both hand out the same ids; each replica then stops with error 1062
# (duplicate key) in SHOW SLAVE STATUS.
# The in-flight window is made deterministic: the replica SQL threads are
# stopped while both masters insert, then started again.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_scenario_options "$@"
t="$(scenario_table t)"
start_pair --same-offset

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

errno_is_1062() { [[ "$(slave_field "$1" Last_SQL_Errno)" == 1062 ]]; }
wait_until 30 "Last_SQL_Errno 1062 on B" errno_is_1062 B
wait_until 30 "Last_SQL_Errno 1062 on A" errno_is_1062 A
say "B: $(slave_field B Last_SQL_Error)"
say "A: $(slave_field A Last_SQL_Error)"
finish "Auto-increment collision: both masters have auto_increment_offset=1 (master-b.cnf repeats it). A's INSERT at a/$fa from position $pa and B's INSERT at b/$fb from position $pb both took id 1; B's replica stops with error 1062 on A's transaction (B Exec_Master_Log_Pos $(slave_field B Exec_Master_Log_Pos)) and A's on B's (A Exec_Master_Log_Pos $(slave_field A Exec_Master_Log_Pos))."
