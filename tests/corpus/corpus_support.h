// Shared helpers for the corpus suites: reading a binlog through the whole stack
// and collecting what the suites compare.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/stream/event_stream.h"

namespace twinlog::corpus {

struct ReadResult {
  uint64_t top_level_events = 0;
  std::map<std::string, uint64_t> top_level_types;  // servers' constant names, TYPE_<n> if unknown
  std::map<std::string, uint64_t> inner_types;      // events inside TRANSACTION_PAYLOAD
  uint64_t inner_events = 0;
  uint64_t checksums_verified = 0;
  std::vector<uint64_t> offsets;       // top-level event offsets
  std::vector<std::string> row_lines;  // "###" lines of the text rendering, comments stripped
  std::vector<std::string> warnings;
  std::optional<SourceError> error;
  std::string server_version;
};

// Reads `path` completely. With `render_text`, also renders every event as text
// and keeps the "###" lines (mysqlbinlog -vv row lines) without their /* */ comment.
ReadResult read_binlog(const std::string& path, bool render_text, bool verify_checksum = true);

// The "###" lines of a mysqlbinlog -vv output, comments stripped.
std::vector<std::string> mysqlbinlog_row_lines(const std::string& text);

std::string read_text_file(const std::string& path);

// The lines of a text, without their newlines.
std::vector<std::string> text_lines(const std::string& text);

// mysqlbinlog prints a SET's stored bytes as bits in storage order (little-endian
// bytes, each most significant bit first); twinlog prints the set's bit value.
// The one from the other: the 8-bit groups in reverse order.
std::string set_bits_as_value(const std::string& bits);

// An independent walk of the v4 framing: event offsets by the event_size field
// from offset 4, stopping where an event would not fit.
struct FramingWalk {
  std::vector<uint64_t> offsets;
  uint64_t end = 0;  // where the walk stopped
};
FramingWalk walk_framing(const std::string& path);

}  // namespace twinlog::corpus
