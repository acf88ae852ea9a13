#!/usr/bin/env bash
# loop: a third server C (server-id 3) feeds master A through a second
# replication connection ("c", multi-source) while A and B replicate each
# other with log-slave-updates. C's transactions go C -> A -> B -> A -> B ...:
# A skips only events carrying its own server_id 1, B only its own 2, so an
# event from server 3 is applied and logged again on every round. The same
# GTID (0-3-N) appears over and over in both binlogs; under STATEMENT format
# `INSERT ... ON DUPLICATE KEY UPDATE n = n + 1` applies without error each
# time, so the loop never ends by itself. The scenario stops it (STOP ALL
# SLAVES on A) once C's transaction has gone round at least 10 times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_scenario_options "$@"
t="$(scenario_table loop_t)"
start_pair --with-c --format STATEMENT
"$SANDBOX" connect A C c

sql C "USE test; CREATE TABLE IF NOT EXISTS $t (id INT PRIMARY KEY, n INT NOT NULL);"
wait_until 30 "test.$t on B" bash -c "[[ \$('$SANDBOX' sql B \"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='test' AND table_name='$t'\") == 1 ]]"
sql C "USE test; INSERT INTO $t VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1;"
gtid="$(sql C "SELECT @@gtid_binlog_pos")"
rounds() { sql A "SELECT COALESCE(MAX(n), 0) FROM test.$t"; }
wait_until 60 "C's transaction going round 10 times" bash -c "(( \$('$SANDBOX' sql A 'SELECT COALESCE(MAX(n), 0) FROM test.$t') >= 10 ))"
sql A "STOP ALL SLAVES"
sql B "STOP SLAVE"
n_a="$(rounds)"
n_c="$(sql C "SELECT n FROM test.$t WHERE id = 1")"
copies="$(mariadb-binlog --skip-gtid-strict-mode $("$SANDBOX" binlogs A) 2>/dev/null | grep -c "GTID $gtid\b" || true)"
((copies > 1)) || fail "expected GTID $gtid several times in A's binlog, found $copies"
first_at="$(mariadb-binlog --skip-gtid-strict-mode $("$SANDBOX" binlogs A) 2>/dev/null | grep -B1 "GTID $gtid\b" | sed -n 's/^# at //p' | awk 'NR == 1')"
finish "Replication loop: C (server-id 3) feeds A (CHANGE MASTER 'c'), A and B replicate each other with log-slave-updates, so C's transaction GTID $gtid (server id 3) comes back round: it is in a/mysql-bin.000001 $copies times, the first at position $first_at. C applied it once (n = $n_c), A $n_a times (n = $n_a) before the loop was stopped with STOP ALL SLAVES."
