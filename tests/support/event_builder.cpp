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
  if (std::to_integer<int>(copy[4]) == 15) copy[17] &= std::byte{0xfe};
  uint32_t crc = crc_of(copy.data(), copy.size());
  for (int i = 0; i < 4; ++i) event[event.size() - 4 + i] = static_cast<std::byte>((crc >> (8 * i)) & 0xff);
}

ByteVec make_event(uint8_t type, const ByteVec& body, HeaderFields h, bool crc32) {
  BodyBuilder b;
  const uint32_t size = static_cast<uint32_t>(protocol::kHeaderLength + body.size() + (crc32 ? 4 : 0));
  b.u32(h.timestamp).u8(type).u32(h.server_id).u32(size).u32(h.log_pos).u16(h.flags).bytes(body);
  ByteVec out = b.data();
  if (crc32) {
    out.resize(out.size() + 4);
    fix_crc(out);
  }
  return out;
}

std::string post_header_lengths(bool mariadb) {
  // As MySQL 5.7/8.0 and MariaDB 10.x write them (index = type code - 1).
  std::string mysql = {56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 95, 0, 4, 26, 8, 0, 0,
                       0, 8, 8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0, 0};
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
  b.u16(4).str(std::string_view(version, 50)).u32(header.timestamp).u8(19).str(post_header_lengths(mariadb));
  b.u8(alg);
  // The FDE always carries the checksum footer once the server writes the alg byte.
  return make_event(15, b, header, true);
}

ByteVec make_binlog(const std::vector<ByteVec>& events, bool crc32) {
  ByteVec out = {std::byte{0xfe}, std::byte{0x62}, std::byte{0x69}, std::byte{0x6e}};
  for (ByteVec e : events) {
    const uint32_t end = static_cast<uint32_t>(out.size() + e.size());
    uint32_t log_pos;
    std::memcpy(&log_pos, e.data() + 13, 4);
    if (log_pos == 0) {
      std::memcpy(e.data() + 13, &end, 4);
      if (crc32 || std::to_integer<int>(e[4]) == 15) fix_crc(e);
    }
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

}  // namespace twinlog::testing
