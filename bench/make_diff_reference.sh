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
fill_pair_with_workload "$FORMAT" "$TARGET_MB"
copy_closed_binlogs "$OUTDIR/a" A
copy_closed_binlogs "$OUTDIR/b" B
cp "$("$sandbox" cnf A)" "$OUTDIR/master-a.cnf"
cp "$("$sandbox" cnf B)" "$OUTDIR/master-b.cnf"
