# shellcheck shell=bash
# Sourced by tools/sandbox: the MariaDB packages, and starting and stopping one server.
# Functions only; tools/sandbox sets the constants (SANDBOX_DIR, CONFIG_DIR, ...).

# ---------------------------------------------------------------- packages

missing_packages() {
  local missing=()
  [[ -x /usr/sbin/mariadbd ]] && command -v mariadb-install-db >/dev/null 2>&1 || missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 && command -v mariadb-admin >/dev/null 2>&1 &&
    command -v mariadb-binlog >/dev/null 2>&1 || missing+=(mariadb-client)
  echo "${missing[*]}"
}

ensure_packages() {
  # `command -v` first, not dpkg-query: every fresh `start` passes here.
  [[ -z "$(missing_packages)" ]] && return 0
  install_packages mariadb-server mariadb-client || die "installing mariadb-server mariadb-client failed"
  [[ -z "$(missing_packages)" ]] || die "still missing after apt-get install: $(missing_packages)"
}

# ---------------------------------------------------------------- processes

server_pid() {
  # Prints the pid of the server if it is running (and really is our mariadbd).
  local s="$1" pidfile pid="" args=()
  pidfile="$SANDBOX_DIR/${s,,}/mysqld.pid"
  [[ -f "$pidfile" ]] || return 1
  read -r pid <"$pidfile" 2>/dev/null || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  mapfile -d '' args <"/proc/$pid/cmdline" 2>/dev/null || return 1
  [[ " ${args[*]} " == *"$SANDBOX_DIR/${s,,}/my.cnf"* ]] || return 1
  echo "$pid"
}

error_tail() {
  local s="$1" f
  f="$(errlog_of "$s")"
  echo "---- last lines of $f ----" >&2
  if [[ -f "$f" ]]; then tail -n 30 "$f" >&2; else echo "(no error log)" >&2; fi
  echo "----" >&2
}

client() {
  # mariadb client on server $1, remaining arguments passed through.
  local s="$1"
  shift
  mariadb --defaults-file="$SANDBOX_DIR/${s,,}/my.cnf" --connect-timeout=10 "$@"
}

run_sql() {
  local s="$1" sql="$2"
  client "$s" -N -B -e "$sql"
}

template_datadir() {
  # Prints a pristine data directory made by mariadb-install-db, built once per
  # server version and user and kept in $SANDBOX_CACHE_DIR: copying it is much
  # faster than running mariadb-install-db for every server.
  local cache="${SANDBOX_CACHE_DIR:-${TMPDIR:-/tmp}/twinlog-sandbox-cache}" version key
  version="$(/usr/sbin/mariadbd --version | awk '{ print $3 }')"
  key="datadir-${version}-uid$EUID"
  if [[ -f "$cache/$key/.complete" ]]; then
    echo "$cache/$key"
    return 0
  fi
  mkdir -p "$cache"
  local work
  work="$(mktemp -d "$cache/build.XXXXXX")"
  [[ -n "$work" && -d "$work" ]] || die "mktemp -d in $cache failed"
  mkdir -p "$work/data" "$work/tmp"
  # A bare defaults file: the system tables are written without binlog, so the
  # first binlog holds only what happens after the first real start.
  {
    echo "[mysqld]"
    echo "datadir = $work/data"
    echo "tmpdir = $work/tmp"
    echo "innodb_log_file_size = 64M"
    if [[ $EUID -eq 0 ]]; then echo "user = root"; fi
  } >"$work/bootstrap.cnf"
  if ! mariadb-install-db --defaults-file="$work/bootstrap.cnf" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve >"$work/install-db.log" 2>&1; then
    tail -n 30 "$work/install-db.log" >&2
    die "mariadb-install-db failed (log: $work/install-db.log)"
  fi
  touch "$work/data/.complete"
  # Another sandbox may have built the same template meanwhile: keep the first.
  if ! mv -T "$work/data" "$cache/$key" 2>/dev/null; then
    [[ -f "$cache/$key/.complete" ]] || die "could not install the datadir template in $cache/$key"
  fi
  rm -rf "$work"
  echo "$cache/$key"
}

initialise_datadir() {
  local s="$1" template
  template="$(template_datadir)"
  cp -a "$template/." "$(datadir_of "$s")/"
  rm -f "$(datadir_of "$s")/.complete"
}

launch_server() {
  # Starts mariadbd for server $1 in the background, detached from this shell.
  local s="$1"
  rm -f "$(pidfile_of "$s")"
  local errlog
  errlog="$(errlog_of "$s")"
  if [[ -f "$errlog" ]]; then wc -l <"$errlog" >"$(sdir "$s")/errlog.mark"; else echo 0 >"$(sdir "$s")/errlog.mark"; fi
  (
    cd "$(sdir "$s")"
    exec setsid /usr/sbin/mariadbd --defaults-file="$(cnf_of "$s")" </dev/null >>"$(sdir "$s")/mariadbd.out" 2>&1
  ) &
  echo "$!" >"$(sdir "$s")/launcher.pid"
}

await_server() {
  # Waits until server $1 answers a ping; on failure prints its error log tail.
  local s="$1" launcher errlog mark
  launcher="$(cat "$(sdir "$s")/launcher.pid")"
  errlog="$(errlog_of "$s")"
  mark="$(cat "$(sdir "$s")/errlog.mark" 2>/dev/null || echo 0)"
  local deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if mariadb-admin --defaults-file="$(cnf_of "$s")" --connect-timeout=2 ping >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$launcher" 2>/dev/null; then
      echo "sandbox: server $s exited during start-up; its error log says:" >&2
      [[ -f "$errlog" ]] && tail -n "+$((mark + 1))" "$errlog" | tail -n 30 >&2
      return 1
    fi
    sleep 0.1
  done
  echo "sandbox: server $s did not answer within ${START_TIMEOUT}s" >&2
  error_tail "$s"
  stop_server "$s" || true
  return 1
}

start_server() {
  local s="$1" pid
  if pid="$(server_pid "$s")"; then
    note "server $s already running (pid $pid)"
    return 0
  fi
  launch_server "$s"
  await_server "$s"
}

stop_server() {
  local s="$1" pid
  pid="$(server_pid "$s")" || {
    rm -f "$(pidfile_of "$s")"
    return 0
  }
  mariadb-admin --defaults-file="$(cnf_of "$s")" --connect-timeout=5 shutdown >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    note "server $s (pid $pid) ignored shutdown; sending TERM"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  fi
  if kill -0 "$pid" 2>/dev/null; then
    note "server $s (pid $pid) ignored TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  kill -0 "$pid" 2>/dev/null && die "server $s (pid $pid) is still running"
  rm -f "$(pidfile_of "$s")"
  return 0
}

