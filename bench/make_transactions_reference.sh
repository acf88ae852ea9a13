#!/usr/bin/env bash
# bench/make_transactions_reference.sh: a reference binlog of the workload
# generator's mixed transactions (1-6 INSERT / UPDATE / DELETE statements each, on A
# or B by the seed, auto-increment inserts included) through a sandboxed MariaDB pair
# (127.0.0.1) in binlog_format FORMAT (default STATEMENT), until A's binlog holds at
# least TARGET_MB; the closed binlogs are copied to OUTDIR and the pair destroyed.
# bench/compare_checks reads them (the STATEMENT one is the filters target's file).
# Usage: bench/make_transactions_reference.sh [OUTDIR] [TARGET_MB] [FORMAT]
# Environment: WORKLOAD (default build/tools/workload/twinlog-workload).
set -euo pipefail
readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly OUTDIR="${1:-/tmp/twinlog-reference-statement}"
readonly TARGET_MB="${2:-100}"
readonly FORMAT="${3:-STATEMENT}"
readonly WORKLOAD="${WORKLOAD:-$SOURCE_DIR/build/tools/workload/twinlog-workload}"
source "$SOURCE_DIR/bench/reference_lib.sh"
refuse_outdir_in_repository "$OUTDIR" make_transactions_reference
[[ -x "$WORKLOAD" ]] || { echo "make_transactions_reference: no workload generator at $WORKLOAD" >&2; exit 1; }
fill_pair_with_workload "$FORMAT" "$TARGET_MB"
copy_closed_binlogs "$OUTDIR"
