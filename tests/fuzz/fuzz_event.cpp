// One event body decoded under each format a reader can meet (MySQL 5.7/8.0 and
// MariaDB 10.x, CRC32 or none): the first byte picks the type code and flavor,
// the rest is the body. Every decoder family gets arbitrary bodies.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/events.h"
#include "protocol/format_description.h"

namespace {

using namespace twinlog::protocol;

FormatDescription make_format(bool mariadb) {
  FormatDescription f = default_format();
  f.server_version = mariadb ? "10.11.6-MariaDB-log" : "8.0.36";
  f.version = parse_server_version(f.server_version);
  f.flavor = mariadb ? Flavor::kMariaDB : Flavor::kMySQL;
  std::string lengths = {56, 13, 0, 8, 0, 18, 0, 4, 4,  4,  4,  18, 0,  0, 95, 0,  4, 26, 8,  0, 0,
                         0,  8,  8, 8, 2, 0,  0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0, 10, 40, 0, 0};
  if (mariadb) {
    lengths.resize(159, 0);
    for (int v : {0, 4, 19, 4, 0, 13, 8, 8, 8, 10, 10, 10}) lengths.push_back(static_cast<char>(v));
  }
  f.post_header_lengths = lengths;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static const FormatDescription mysql = make_format(false);
  static const FormatDescription maria = make_format(true);
  const bool mariadb = data[0] & 0x80;
  uint8_t type = data[1];
  // A framed event: a 19-byte header, then the fuzzed body.
  std::vector<std::byte> event(kHeaderLength + size - 2);
  event[4] = std::byte{type};
  std::copy(reinterpret_cast<const std::byte*>(data + 2),
            reinterpret_cast<const std::byte*>(data + size), event.begin() + kHeaderLength);
  EventView view;
  view.header.type_code = type;
  view.header.event_size = static_cast<uint32_t>(event.size());
  view.raw = Bytes(event.data(), event.size());
  view.body = view.raw.subspan(kHeaderLength);
  auto decoded = decode_event(view, mariadb ? maria : mysql);
  (void)decoded.ok();
  return 0;
}
