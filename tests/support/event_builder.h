// Test helper: encodes any binlog event (header, body, checksum) in one line,
// and whole binlog files from a list of events.
//
//   auto body = BodyBuilder().u32(7).u32(0).u8(4).u16(0).u16(0).cstr("test").str("BEGIN");
//   auto query = make_event(2, body);            // QUERY, CRC32 footer
//   auto file  = make_binlog({make_fde(), query});
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/format_description.h"

namespace twinlog::testing {

using ByteVec = std::vector<std::byte>;

class BodyBuilder {
 public:
  BodyBuilder& u8(uint64_t v) { return le(v, 1); }
  BodyBuilder& u16(uint64_t v) { return le(v, 2); }
  BodyBuilder& u24(uint64_t v) { return le(v, 3); }
  BodyBuilder& u32(uint64_t v) { return le(v, 4); }
  BodyBuilder& u48(uint64_t v) { return le(v, 6); }
  BodyBuilder& u64(uint64_t v) { return le(v, 8); }
  BodyBuilder& le(uint64_t v, int n);
  BodyBuilder& be(uint64_t v, int n);
  BodyBuilder& packed(uint64_t v);  // MySQL length-encoded integer
  BodyBuilder& str(std::string_view s);
  BodyBuilder& cstr(std::string_view s) { return str(s).u8(0); }
  BodyBuilder& lstr(std::string_view s) { return u8(s.size()).str(s); }  // 1-byte length prefix
  BodyBuilder& bytes(const ByteVec& b);
  BodyBuilder& raw(std::initializer_list<int> b);
  const ByteVec& data() const { return data_; }
  operator const ByteVec&() const { return data_; }  // NOLINT
  std::size_t size() const { return data_.size(); }

 private:
  ByteVec data_;
};

struct HeaderFields {
  uint32_t timestamp = 1700000000;
  uint32_t server_id = 1;
  uint32_t log_pos = 0;  // 0: make_binlog fills in the end position
  uint16_t flags = 0;
};

// One event: 19-byte header + body + CRC32 footer when `crc32` is set.
ByteVec make_event(uint8_t type, const ByteVec& body, HeaderFields header = {}, bool crc32 = true);
// A FORMAT_DESCRIPTION for `server_version` (MariaDB when the string says so),
// with the alg byte and footer; `alg` 1 = CRC32, 0 = none.
ByteVec make_fde(std::string_view server_version = "10.11.6-MariaDB-log", uint8_t alg = 1,
                 HeaderFields header = {});
// Magic + events, each event's log_pos set to its end offset (when 0), checksums recomputed.
// `crc32` says whether the events carry a CRC32 footer (the FDE always does).
ByteVec make_binlog(const std::vector<ByteVec>& events, bool crc32 = true);
// Recomputes the CRC32 footer of a framed event in place.
void fix_crc(ByteVec& event);

// The FDE post-header lengths a server of that flavor writes (index = type - 1).
std::string post_header_lengths(bool mariadb);

inline protocol::Bytes span(const ByteVec& v) { return {v.data(), v.size()}; }

}  // namespace twinlog::testing
