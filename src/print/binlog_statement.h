// The bytes of an event as mariadb-binlog prints them: as the base64 of BINLOG
// statements (a statement's rows in one statement, or in two @binlog_fragment
// variables when it would pass the server's largest packet), and as --hexdump's
// dump.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/stream/event_stream.h"

namespace twinlog {

// What mariadb-binlog ends each statement it prints with.
inline constexpr std::string_view kDelimiter = "/*!*/;";

// mariadb-binlog's opt_binlog_rows_event_max_encoded_size, MAX_MAX_ALLOWED_PACKET:
// a BINLOG statement longer than this is split in two fragments.
inline constexpr std::size_t kBinlogStatementMax = std::size_t{1} << 30;

// --hexdump: the common header field by field, then the rest of `event` after
// `header_length` bytes as `hexdump -C` shows it, then "# Event: " for the
// description.
void append_hexdump(protocol::Bytes event, uint64_t offset, std::size_t header_length,
                    std::string& out);

// The event as mariadb-binlog holds it to print its base64 or hexdump (see the
// definition); `scratch` holds the bytes when they are not the file's.
protocol::Bytes mariadb_event_bytes(const StreamEvent& se, std::vector<std::byte>& scratch);

// Appends the base64 lines of the event.
void append_event_base64(const StreamEvent& se, std::string& out);

// Appends the BINLOG statement of `base64` (whole lines, each ending in a newline)
// as mariadb-binlog's copy_cache_to_file_wrapped writes it: `BINLOG '...'`, or
// when longer than `max` two fragments, SET @binlog_fragment_0 / _1 and
// BINLOG @binlog_fragment_0, @binlog_fragment_1, split after half the text.
void append_binlog_statement(std::string_view base64, std::string& out,
                             std::size_t max = kBinlogStatementMax);

}  // namespace twinlog
