#!/usr/bin/env bash
# bench/make_diff_reference.sh: a reference pair for `twinlog diff`: both masters'
# binlogs of the workload generator's mixed transactions (on A and on B by the
# seed, each logged again by the other: log-slave-updates) through a sandboxed
# MariaDB pair (127.0.0.1) in binlog_format FORMAT (default ROW), until A's binlog
# holds at least TARGET_MB; both masters' closed binlogs are copied to OUTDIR/a and
# OUTDIR/b, their option files to OUTDIR/master-{a,b}.cnf, and the pair destroyed.
# Usage: bench/make_diff_reference.sh [OUTDIR] [TARGET_MB] [FORMAT]
# Environment: WORKLOAD (default build/tools/workload/twinlog-workload).
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly OUTDIR="${1:-/tmp/twinlog-reference-pair}"
readonly TARGET_MB="${2:-1024}"
readonly FORMAT="${3:-ROW}"
readonly WORKLOAD="${WORKLOAD:-$SOURCE_DIR/build/tools/workload/twinlog-workload}"
source "$SOURCE_DIR/bench/reference_lib.sh"
refuse_outdir_in_repository "$OUTDIR" make_diff_reference
[[ -x "$WORKLOAD" ]] || { echo "make_diff_reference: no workload generator at $WORKLOAD" >&2; exit 1; }
SANDBOX_DIR="$(mktemp -d)"
export SANDBOX_DIR
sandbox="$SOURCE_DIR/tools/sandbox"
trap '"$sandbox" destroy >/dev/null 2>&1 || true' EXIT
"$sandbox" start --format "$FORMAT" --watch $$ >/dev/null
seed=1
reset=--reset
while :; do
  size=$("$sandbox" sql A "SHOW BINARY LOGS" | awk '{ total += $2 } END { print total + 0 }')
  [ "$size" -ge $((TARGET_MB * 1024 * 1024)) ] && break
  "$WORKLOAD" --sandbox "$SANDBOX_DIR" $reset --seed "$seed" --binlog-format "$FORMAT" \
    --transactions 1000 --quiet
  reset=
  seed=$((seed + 1))
done
"$sandbox" wait-sync 600 >/dev/null
for server in A B; do
  dir="$OUTDIR/$(tr AB ab <<<"$server")"
  "$sandbox" sql "$server" "FLUSH BINARY LOGS" >/dev/null
  mkdir -p "$dir"
  mapfile -t binlogs < <("$sandbox" binlogs "$server")
  unset 'binlogs[-1]'
  cp "${binlogs[@]}" "$dir/"
  cp "$("$sandbox" cnf "$server")" "$OUTDIR/master-$(tr AB ab <<<"$server").cnf"
done
ls -lR "$OUTDIR"
