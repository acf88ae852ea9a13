#!/usr/bin/env bash
# bench/make_reference.sh: make the reference binlog for bench/compare.
#
# Starts a MariaDB master-master pair with tools/sandbox (127.0.0.1 only), grows
# master A's binlog with the workload generator to --target-bytes in ROW format,
# copies A's binlog files to OUTDIR and destroys the pair.
#
# Usage: bench/make_reference.sh [OUTDIR] [TARGET_BYTES]
#   OUTDIR        where the binlog files go (default /tmp/twinlog-reference);
#                 must not be inside the repository
#   TARGET_BYTES  size of A's binlogs to reach (default 1G)
# Environment: WORKLOAD (default build/tools/workload/twinlog-workload); the
#   sandbox's own variables pass through, e.g. a file of rows events only, without
#   MariaDB's ANNOTATE_ROWS events (the statement text, most of the default file):
#     SANDBOX_EXTRA='binlog_annotate_row_events=OFF' bench/make_reference.sh /tmp/twinlog-reference-rows
set -euo pipefail

readonly SOURCE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly OUTDIR="${1:-/tmp/twinlog-reference}"
readonly TARGET="${2:-1G}"
readonly WORKLOAD="${WORKLOAD:-$SOURCE_DIR/build/tools/workload/twinlog-workload}"

source "$SOURCE_DIR/bench/reference_lib.sh"
refuse_outdir_in_repository "$OUTDIR" make_reference
[[ -x "$WORKLOAD" ]] || { echo "make_reference: no workload generator at $WORKLOAD" >&2; exit 1; }

SANDBOX_DIR="$(mktemp -d)"
export SANDBOX_DIR
trap '"$SOURCE_DIR/tools/sandbox" destroy >/dev/null 2>&1 || true' EXIT

"$SOURCE_DIR/tools/sandbox" start --format ROW --watch $$
"$WORKLOAD" --sandbox "$SANDBOX_DIR" --reset --seed 1 --binlog-format ROW \
  --target-bytes "$TARGET"
"$SOURCE_DIR/tools/sandbox" wait-sync 600
copy_closed_binlogs "$OUTDIR"
