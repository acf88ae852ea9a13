// Test helper: encodes any binlog event (header, body, checksum) in one line,
// and whole binlog files from a list of events.
//
//   auto file = make_binlog({make_fde(), query_event("test", "BEGIN"),
//                            table_map_event({.types = byte_vec({3})}),
//                            rows_event(EventType::kWriteRows, {.rows = ...}), xid_event(9)});
//   auto r = decode_built(EventType::kQuery, query_body("db", "SELECT 1"), mysql80());
// BodyBuilder writes any other layout field by field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/event_type.h"
#include "protocol/format_description.h"

namespace twinlog::testing {

using ByteVec = std::vector<std::byte>;
using protocol::EventType;

// A type code as the helpers take it: a protocol::EventType, or a raw code for
// the types protocol/ does not name (and the loops over codes).
struct TypeCode {
  TypeCode(uint8_t c) : code(c) {}                          // NOLINT(google-explicit-constructor)
  TypeCode(EventType t) : code(static_cast<uint8_t>(t)) {}  // NOLINT(google-explicit-constructor)
  uint8_t code;
};

// Bytes from a list of values 0..255: byte_vec({0x03, 0xff}).
ByteVec byte_vec(std::initializer_list<int> b);

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
  // A TRANSACTION_PAYLOAD header field: type, the length of the packed value, the value.
  BodyBuilder& payload_field(uint64_t type, uint64_t value);
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
ByteVec make_event(TypeCode type, const ByteVec& body, HeaderFields header = {}, bool crc32 = true);
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

// Typed bodies, each the layout a server writes for that event type, drawn
// above its function in event_builder.cpp; the *_event forms frame them.

// QUERY: thread id, exec time, db length, error code, status block, db, sql.
struct QueryFields {
  uint32_t thread_id = 7;
  uint32_t exec_time = 0;
  uint16_t error = 0;
  ByteVec status = {};  // the status variable block, written as given
};
ByteVec query_body(std::string_view db, std::string_view sql, const QueryFields& fields = {});
ByteVec query_event(std::string_view db, std::string_view sql, HeaderFields header = {},
                    bool crc32 = true);

// MariaDB GTID: seq_no, domain, flags, and (`padded`) the 6 zero bytes that fill
// the 19-byte post-header when there is no commit id.
ByteVec maria_gtid_body(uint64_t seq, uint32_t domain = 0, uint8_t flags = 0, bool padded = true);
ByteVec maria_gtid_event(uint64_t seq, uint32_t domain = 0, uint8_t flags = 0,
                         HeaderFields header = {}, bool crc32 = true);

// MySQL GTID (and ANONYMOUS_GTID, with a zero sid): the 5.6 layout (flags, sid,
// gno: 25 bytes), and with the 5.7 logical clock (42 bytes).
ByteVec mysql_gtid_body(const ByteVec& sid, int64_t gno, uint8_t flags = 1);
ByteVec mysql_gtid_body(const ByteVec& sid, int64_t gno, uint8_t flags, uint64_t last_committed,
                        uint64_t sequence_number);

// TABLE_MAP: the column types, metadata block, nullable bitmap and optional
// metadata (TLVs) are written as given.
struct TableMapFields {
  uint64_t table_id = 42;
  uint16_t flags = 1;
  std::string_view db = "test";
  std::string_view table = "t";
  ByteVec types = {};
  ByteVec meta = {};
  ByteVec nulls = {};
  ByteVec optional = {};
};
ByteVec table_map_body(const TableMapFields& fields);
ByteVec table_map_event(const TableMapFields& fields, HeaderFields header = {}, bool crc32 = true);

// Rows events of every version: v2 (the extra-data block) and the second bitmap
// (UPDATE, PARTIAL_UPDATE) follow from the type.
struct RowsFields {
  uint64_t table_id = 42;
  uint16_t flags = 1;  // STMT_END_F
  uint64_t columns = 1;
  ByteVec present = {};        // columns-present bitmap; empty: `columns` bits set
  ByteVec present_after = {};  // the after image's; empty: as `present`
  ByteVec extra = {};          // v2 extra data (after its length)
  ByteVec rows = {};
};
ByteVec rows_body(TypeCode type, const RowsFields& fields);
ByteVec rows_event(TypeCode type, const RowsFields& fields, HeaderFields header = {},
                   bool crc32 = true);

// XID: the transaction id. ROTATE: the position in and the name of the next file.
ByteVec xid_body(uint64_t xid);
ByteVec xid_event(uint64_t xid, HeaderFields header = {}, bool crc32 = true);
ByteVec rotate_body(uint64_t position, std::string_view next_file);
ByteVec rotate_event(uint64_t position, std::string_view next_file, HeaderFields header = {},
                     bool crc32 = true);

inline protocol::Bytes span(const ByteVec& v) {
  return {v.data(), v.size()};
}

}  // namespace twinlog::testing
