#include "tests/support/event_builder.h"

#include <zlib.h>

#include <cstring>

namespace twinlog::testing {

BodyBuilder& BodyBuilder::le(uint64_t v, int n) {
  for (int i = 0; i < n; ++i) data_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
  return *this;
}
BodyBuilder& BodyBuilder::be(uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) data_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
  return *this;
}
BodyBuilder& BodyBuilder::packed(uint64_t v) {
  if (v < 251) return u8(v);
  if (v < 0x10000) return u8(252).u16(v);
  if (v < 0x1000000) return u8(253).u24(v);
  return u8(254).u64(v);
}
BodyBuilder& BodyBuilder::payload_field(uint64_t type, uint64_t value) {
  const ByteVec v = BodyBuilder().packed(value).data();
  return packed(type).packed(v.size()).bytes(v);
}
BodyBuilder& BodyBuilder::str(std::string_view s) {
  for (char c : s) data_.push_back(static_cast<std::byte>(c));
  return *this;
}
BodyBuilder& BodyBuilder::bytes(const ByteVec& b) {
  data_.insert(data_.end(), b.begin(), b.end());
  return *this;
}
BodyBuilder& BodyBuilder::raw(std::initializer_list<int> b) {
  for (int c : b) data_.push_back(static_cast<std::byte>(c));
  return *this;
}

static uint32_t crc_of(const std::byte* p, std::size_t n) {
  return static_cast<uint32_t>(
      crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(p), static_cast<uInt>(n)));
}

void fix_crc(ByteVec& event) {
  if (event.size() < protocol::kHeaderLength + 4) return;
  // The FDE's CRC is computed with LOG_EVENT_BINLOG_IN_USE_F cleared.
  ByteVec copy(event.begin(), event.end() - 4);
  if (std::to_integer<int>(copy[4]) == static_cast<int>(EventType::kFormatDescription))
    copy[17] &= std::byte{0xfe};
  uint32_t crc = crc_of(copy.data(), copy.size());
  for (int i = 0; i < 4; ++i)
    event[event.size() - 4 + i] = static_cast<std::byte>((crc >> (8 * i)) & 0xff);
}

ByteVec byte_vec(std::initializer_list<int> b) {
  return BodyBuilder().raw(b).data();
}

ByteVec make_event(TypeCode type, const ByteVec& body, HeaderFields h, bool crc32) {
  BodyBuilder b;
  const uint32_t size =
      static_cast<uint32_t>(protocol::kHeaderLength + body.size() + (crc32 ? 4 : 0));
  b.u32(h.timestamp)
      .u8(type.code)
      .u32(h.server_id)
      .u32(size)
      .u32(h.log_pos)
      .u16(h.flags)
      .bytes(body);
  ByteVec out = b.data();
  if (crc32) {
    out.resize(out.size() + 4);
    fix_crc(out);
  }
  return out;
}

std::string post_header_lengths(bool mariadb) {
  // As MySQL 5.7/8.0 and MariaDB 10.x write them (index = type code - 1).
  std::string mysql = {56, 13, 0, 8, 0, 18, 0, 4, 4,  4,  4,  18, 0,  0, 95, 0,  4, 26, 8,  0, 0,
                       0,  8,  8, 8, 2, 0,  0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0, 0};
  if (!mariadb) return mysql;
  std::string maria(mysql.begin(), mysql.begin() + 32);
  maria[14] = static_cast<char>(220);
  maria.resize(159, 0);
  // 160.. ANNOTATE_ROWS, BINLOG_CHECKPOINT, GTID, GTID_LIST, START_ENCRYPTION,
  // QUERY_COMPRESSED, rows compressed v1 x3, v2 x3
  for (int v : {0, 4, 19, 4, 0, 13, 8, 8, 8, 10, 10, 10}) maria.push_back(static_cast<char>(v));
  return maria;
}

ByteVec make_fde(std::string_view server_version, uint8_t alg, HeaderFields header) {
  const bool mariadb = server_version.find("MariaDB") != std::string_view::npos;
  char version[50] = {};
  std::memcpy(version, server_version.data(), std::min<std::size_t>(49, server_version.size()));
  BodyBuilder b;
  b.u16(4)
      .str(std::string_view(version, 50))
      .u32(header.timestamp)
      .u8(19)
      .str(post_header_lengths(mariadb));
  b.u8(alg);
  // The FDE always carries the checksum footer once the server writes the alg byte.
  return make_event(EventType::kFormatDescription, b, header, true);
}

ByteVec make_binlog(const std::vector<ByteVec>& events, bool crc32) {
  ByteVec out = {std::byte{0xfe}, std::byte{0x62}, std::byte{0x69}, std::byte{0x6e}};
  for (ByteVec e : events) {
    const uint32_t end = static_cast<uint32_t>(out.size() + e.size());
    uint32_t log_pos;
    std::memcpy(&log_pos, e.data() + 13, 4);
    if (log_pos == 0) {
      std::memcpy(e.data() + 13, &end, 4);
      if (crc32 || std::to_integer<int>(e[4]) == static_cast<int>(EventType::kFormatDescription))
        fix_crc(e);
    }
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

// thread_id u32 | exec_time u32 | db_len u8 | error u16 | status_len u16 |
// status | db NUL | sql (to the end)
ByteVec query_body(std::string_view db, std::string_view sql, const QueryFields& f) {
  return BodyBuilder()
      .u32(f.thread_id)
      .u32(f.exec_time)
      .u8(db.size())
      .u16(f.error)
      .u16(f.status.size())
      .bytes(f.status)
      .cstr(db)
      .str(sql);
}
ByteVec query_event(std::string_view db, std::string_view sql, HeaderFields header, bool crc32) {
  return make_event(EventType::kQuery, query_body(db, sql), header, crc32);
}

// seq_no u64 | domain_id u32 | flags u8 | (commit_id u64, or 6 zero bytes)
ByteVec maria_gtid_body(uint64_t seq, uint32_t domain, uint8_t flags, bool padded) {
  BodyBuilder b;
  b.u64(seq).u32(domain).u8(flags);
  if (padded) b.le(0, 6);
  return b.data();
}
ByteVec maria_gtid_event(uint64_t seq, uint32_t domain, uint8_t flags, HeaderFields header,
                         bool crc32) {
  return make_event(EventType::kMariaGtid, maria_gtid_body(seq, domain, flags), header, crc32);
}

// flags u8 | sid [16] | gno u64 | (lc_type u8 = 2 | last_committed u64 | sequence_number u64)
ByteVec mysql_gtid_body(const ByteVec& sid, int64_t gno, uint8_t flags) {
  return BodyBuilder().u8(flags).bytes(sid).u64(static_cast<uint64_t>(gno)).data();
}
ByteVec mysql_gtid_body(const ByteVec& sid, int64_t gno, uint8_t flags, uint64_t last_committed,
                        uint64_t sequence_number) {
  return BodyBuilder()
      .bytes(mysql_gtid_body(sid, gno, flags))
      .u8(2)
      .u64(last_committed)
      .u64(sequence_number)
      .data();
}

// table_id u48 | flags u16 | db_len u8 | db NUL | table_len u8 | table NUL |
// column_count packed | types | meta_len packed | meta | nullable bitmap | optional
ByteVec table_map_body(const TableMapFields& f) {
  return BodyBuilder()
      .u48(f.table_id)
      .u16(f.flags)
      .lstr(f.db)
      .u8(0)
      .lstr(f.table)
      .u8(0)
      .packed(f.types.size())
      .bytes(f.types)
      .packed(f.meta.size())
      .bytes(f.meta)
      .bytes(f.nulls)
      .bytes(f.optional)
      .data();
}
ByteVec table_map_event(const TableMapFields& fields, HeaderFields header, bool crc32) {
  return make_event(EventType::kTableMap, table_map_body(fields), header, crc32);
}

namespace {

// Which parts a rows event's type brings: the v2 extra-data block, and the
// after image's bitmap (UPDATE, PARTIAL_UPDATE).
struct RowsLayout {
  bool v2 = false;
  bool after_image = false;
};
RowsLayout rows_layout(EventType t) {
  switch (t) {
    case EventType::kWriteRows:
    case EventType::kDeleteRows:
    case EventType::kMariaWriteRowsCompressed:
    case EventType::kMariaDeleteRowsCompressed:
      return {.v2 = true};
    case EventType::kUpdateRows:
    case EventType::kPartialUpdateRows:
    case EventType::kMariaUpdateRowsCompressed:
      return {.v2 = true, .after_image = true};
    case EventType::kPreGaUpdateRows:
    case EventType::kUpdateRowsV1:
    case EventType::kMariaUpdateRowsCompressedV1:
      return {.after_image = true};
    default:
      return {};
  }
}

}  // namespace

// table_id u48 | flags u16 | (v2: extra_len u16 (counting itself) | extra) |
// column_count packed | present bitmap | (update: after bitmap) | rows
ByteVec rows_body(TypeCode type, const RowsFields& f) {
  const RowsLayout layout = rows_layout(static_cast<EventType>(type.code));
  BodyBuilder b;
  b.u48(f.table_id).u16(f.flags);
  if (layout.v2) b.u16(f.extra.size() + 2).bytes(f.extra);
  b.packed(f.columns);
  ByteVec all;
  for (uint64_t i = 0; i < f.columns; i += 8)
    all.push_back(static_cast<std::byte>(f.columns - i >= 8 ? 0xff : (1u << (f.columns - i)) - 1));
  const ByteVec& present = f.present.empty() ? all : f.present;
  b.bytes(present);
  if (layout.after_image) b.bytes(f.present_after.empty() ? present : f.present_after);
  return b.bytes(f.rows).data();
}
ByteVec rows_event(TypeCode type, const RowsFields& fields, HeaderFields header, bool crc32) {
  return make_event(type, rows_body(type, fields), header, crc32);
}

// xid u64
ByteVec xid_body(uint64_t xid) {
  return BodyBuilder().u64(xid).data();
}
ByteVec xid_event(uint64_t xid, HeaderFields header, bool crc32) {
  return make_event(EventType::kXid, xid_body(xid), header, crc32);
}

// position u64 | next file name (to the end)
ByteVec rotate_body(uint64_t position, std::string_view next_file) {
  return BodyBuilder().u64(position).str(next_file).data();
}
ByteVec rotate_event(uint64_t position, std::string_view next_file, HeaderFields header,
                     bool crc32) {
  return make_event(EventType::kRotate, rotate_body(position, next_file), header, crc32);
}

}  // namespace twinlog::testing
