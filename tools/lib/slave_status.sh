# shellcheck shell=bash
# The one reader of SHOW SLAVE STATUS for tools/sandbox and tools/scenarios:
# the client's vertical form (mariadb -E), parsed in bash without forks, since
# the sandbox polls it on a loaded machine. The caller defines `client SERVER
# ARGS...` (run the mariadb client on that server).

# slave_status_parse TEXT: SLAVE_STATUS (field -> value) from the first row of
# TEXT, and the text itself in SLAVE_STATUS_TEXT. "   Field: value" lines; a
# field with nothing after the colon is empty.
slave_status_parse() {
  declare -gA SLAVE_STATUS=()
  SLAVE_STATUS_TEXT="$1"
  local line key value rows=0
  while IFS= read -r line; do
    if [[ "$line" == "*"*" row "* ]]; then
      rows=$((rows + 1))
      ((rows > 1)) && break
      continue
    fi
    key="${line%%:*}"
    key="${key##* }"
    value="${line#*: }"
    [[ "$value" == "$line" ]] && value=""
    [[ -n "$key" && "$key" != "$line" ]] && SLAVE_STATUS[$key]="$value"
  done <<<"$1"
  return 0
}

# slave_status_read SERVER [CONNECTION]: SHOW SLAVE 'CONNECTION' STATUS on
# SERVER into SLAVE_STATUS; fails as the client does.
slave_status_read() {
  local text
  text="$(client "$1" -E -e "SHOW SLAVE '${2:-}' STATUS")" || return
  slave_status_parse "$text"
}

# slave_field SERVER FIELD [CONNECTION]: prints one field of SHOW SLAVE STATUS
# (empty when the server has no such connection or field).
slave_field() {
  slave_status_read "$1" "${3:-}" 2>/dev/null || return
  echo "${SLAVE_STATUS[$2]:-}"
}
