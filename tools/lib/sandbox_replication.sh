# shellcheck shell=bash
# Sourced by tools/sandbox: wiring a replica to a master the runbook's way,
# and waiting for the pair (SHOW SLAVE STATUS through tools/lib/slave_status.sh).
# Functions only; tools/sandbox sets the constants (SANDBOX_DIR, CONFIG_DIR, ...).

wire() {
  # wire REPLICA MASTER [CONNECTION]: the runbook's steps, one direction.
  local replica="$1" master="$2" conn="${3:-}"
  local mport
  mport="$(port_of "$master")"
  # On the master: the replication user for the replica's host.
  run_sql "$master" "CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';
FLUSH PRIVILEGES;" || die "creating the replication user on $master failed"
  # Coordinates under FLUSH TABLES WITH READ LOCK, then UNLOCK, one session.
  local status file pos gtid
  status="$(run_sql "$master" "FLUSH TABLES WITH READ LOCK; SHOW MASTER STATUS; SELECT @@gtid_binlog_pos; UNLOCK TABLES;")" ||
    die "FLUSH TABLES WITH READ LOCK / SHOW MASTER STATUS on $master failed"
  file="$(echo "$status" | sed -n 1p | cut -f1)"
  pos="$(echo "$status" | sed -n 1p | cut -f2)"
  gtid="$(echo "$status" | sed -n 2p)"
  [[ -n "$file" && -n "$pos" ]] || die "SHOW MASTER STATUS on $master returned nothing (is log-bin on?)"
  local change
  if [[ "$OPT_GTID" == 1 ]]; then
    if [[ -n "$conn" ]]; then
      # gtid_slave_pos is one position for every connection: add this master's.
      local cur
      cur="$(run_sql "$replica" "SELECT @@gtid_slave_pos")"
      [[ -n "$cur" ]] && gtid="$cur${gtid:+,$gtid}"
    fi
    change="SET GLOBAL gtid_slave_pos = '$gtid';
CHANGE MASTER '$conn' TO MASTER_HOST='127.0.0.1', MASTER_PORT=$mport, MASTER_USER='$REPL_USER',
  MASTER_PASSWORD='$REPL_PASSWORD', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos;"
  else
    change="CHANGE MASTER '$conn' TO MASTER_HOST='127.0.0.1', MASTER_PORT=$mport, MASTER_USER='$REPL_USER',
  MASTER_PASSWORD='$REPL_PASSWORD', MASTER_CONNECT_RETRY=1,
  MASTER_LOG_FILE='$file', MASTER_LOG_POS=$pos;"
  fi
  if [[ -n "$(run_sql "$replica" "SELECT 1 FROM information_schema.processlist LIMIT 0")$(client "$replica" -N -B -e "SHOW SLAVE '$conn' STATUS" 2>/dev/null)" ]]; then
    run_sql "$replica" "STOP SLAVE '$conn'" || die "STOP SLAVE on $replica failed"
  fi
  run_sql "$replica" "$change START SLAVE '$conn';" ||
    die "CHANGE MASTER TO / START SLAVE on $replica (from $master) failed"
}

wait_threads() {
  # wait_threads REPLICA MASTER [CONNECTION]: both threads Yes, or fail loudly.
  local replica="$1" master="$2" conn="${3:-}"
  local deadline=$((SECONDS + 30)) io sql
  while ((SECONDS < deadline)); do
    slave_status_read "$replica" "$conn" 2>/dev/null
    io="${SLAVE_STATUS[Slave_IO_Running]:-}"
    sql="${SLAVE_STATUS[Slave_SQL_Running]:-}"
    [[ "$io" == Yes && "$sql" == Yes ]] && return 0
    sleep 0.2
  done
  echo "sandbox: replication $master -> $replica did not reach Slave_IO_Running: Yes / Slave_SQL_Running: Yes" >&2
  client "$replica" -E -e "SHOW SLAVE '$conn' STATUS" >&2 || true
  error_tail "$replica"
  error_tail "$master"
  exit 1
}

cmd_wait_sync() {
  local timeout="${1:-$SYNC_TIMEOUT}"
  local deadline=$((SECONDS + timeout))
  local pairs=("A B" "B A")
  while ((SECONDS < deadline)); do
    local all=1 p
    for p in "${pairs[@]}"; do
      local replica="${p% *}" master="${p#* }"
      local io sql rfile rpos efile epos mfile mpos
      slave_status_read "$replica" || die "SHOW SLAVE STATUS on $replica failed"
      io="${SLAVE_STATUS[Slave_IO_Running]:-}"
      sql="${SLAVE_STATUS[Slave_SQL_Running]:-}"
      rfile="${SLAVE_STATUS[Master_Log_File]:-}"
      rpos="${SLAVE_STATUS[Read_Master_Log_Pos]:-}"
      efile="${SLAVE_STATUS[Relay_Master_Log_File]:-}"
      epos="${SLAVE_STATUS[Exec_Master_Log_Pos]:-}"
      if [[ "$sql" != Yes || "$io" == No ]]; then
        echo "sandbox: replica $replica is not running (IO: $io, SQL: $sql)" >&2
        echo "$SLAVE_STATUS_TEXT" | grep -E 'Last_(IO|SQL)_(Errno|Error)' >&2 || true
        exit 1
      fi
      read -r mfile mpos _ < <(run_sql "$master" "SHOW MASTER STATUS")
      if [[ "$rfile" != "$mfile" || "$rpos" != "$mpos" || "$efile" != "$rfile" || "$epos" != "$rpos" ]]; then
        all=0
      fi
    done
    # Nothing is being written: once both directions are caught up at one
    # look, they stay so.
    ((all)) && return 0
    sleep 0.2
  done
  echo "sandbox: the pair did not catch up within ${timeout}s" >&2
  local s
  for s in A B; do client "$s" -E -e "SHOW MASTER STATUS; SHOW SLAVE STATUS" >&2 || true; done
  exit 1
}

