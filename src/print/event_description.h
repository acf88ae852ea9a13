// The text decode prints for an event after its header line ("#<time> server id
// ... \t<description>"), worded as mysqlbinlog -vv words it, one function per event
// type; and the small renderings the text and JSON printers share.
#pragma once

#include <string>
#include <string_view>

#include "protocol/byte_reader.h"
#include "src/stream/event_stream.h"

namespace twinlog {

// Appends the description of `se` to `out`.
void append_description(const StreamEvent& se, std::string& out);

// Lower-case hex, two digits a byte.
std::string hex_text(protocol::Bytes bytes);
// Upper-case hex, two digits a byte.
std::string hex_upper(protocol::Bytes bytes);
// `name`, a backtick inside doubled.
std::string quoted_identifier(std::string_view name);
// `db`.`table`
std::string quoted_table_name(std::string_view db, std::string_view table);
// `s` between `quote`s with mariadb-binlog's escapes (pretty_print_str).
void append_escaped_string(std::string& out, std::string_view s, char quote);

}  // namespace twinlog
