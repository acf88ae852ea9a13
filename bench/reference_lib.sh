# shellcheck shell=bash
# Shared by bench/make_*reference.sh: where a reference binlog may go, and taking
# master A's closed binlogs out of the sandbox. Sourced, after SOURCE_DIR is set.

# Refuses an OUTDIR inside the repository (reference files are large and are
# never committed). $1: OUTDIR, $2: the script's name for the message.
refuse_outdir_in_repository() {
  case "$(realpath -m "$1")/" in
    "$SOURCE_DIR"/*) echo "$2: $1 is inside the repository" >&2; exit 1 ;;
  esac
}

# FLUSH BINARY LOGS on A, then copies every binlog file but the newest (the empty
# one the flush just opened) to $1 and lists them.
copy_closed_binlogs() {
  "$SOURCE_DIR/tools/sandbox" sql A "FLUSH BINARY LOGS" >/dev/null
  mkdir -p "$1"
  local binlogs
  mapfile -t binlogs < <("$SOURCE_DIR/tools/sandbox" binlogs A)
  unset 'binlogs[-1]'
  cp "${binlogs[@]}" "$1/"
  ls -l "$1"
}
