// How decode prints row events, as mariadb-binlog's --base64-output: `auto` (its
// default) as BINLOG '...' statements a server can replay, `decode-rows` as
// comments only, `never` refusing them. And the base64 text itself, wrapped as
// mariadb-binlog wraps it.
#pragma once

#include <string>
#include <vector>

#include "protocol/byte_reader.h"
#include "src/print/database_rewrite.h"

namespace twinlog {

enum class Base64Output { kAuto, kNever, kDecodeRows };

// What decode's text looks like: the base64 mode and the verbosity of the `###`
// row comments (0 none, 1 `-v` the values, 2 `-vv` with the column types).
struct TextOptions {
  Base64Output base64 = Base64Output::kDecodeRows;
  int verbosity = 2;
  bool hexdump = false;         // --hexdump: each event's bytes under its header line
  bool short_form = false;      // --short-form: the statements only
  bool table_metadata = false;  // --print-table-metadata: a table map's columns
  // --skip-gtids: no gtid_domain_id / server_id / gtid_seq_no lines after a GTID
  // event, so that a replay logs the transactions under the replaying server's own
  // GTIDs (mysqlbinlog's "execute the transactions as if they were new").
  bool skip_gtids = false;
  std::vector<RewriteDbRule> rewrite_db;  // --rewrite-db, in the order given
};

// Appends the base64 of `bytes` and a newline: 76 characters a line, as
// mariadb-binlog's my_base64_encode writes them (a line break only before more
// text, never at the end).
void append_base64_lines(std::string& out, protocol::Bytes bytes);

}  // namespace twinlog
