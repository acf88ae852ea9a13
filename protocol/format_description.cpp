#include "protocol/format_description.h"

#include <charconv>

namespace twinlog::protocol {

Result<EventHeader> parse_header(Bytes bytes, uint64_t offset) {
  ByteReader r(bytes, offset);
  EventHeader h;
  h.timestamp = r.u32("event header");
  h.type_code = r.u8("event header");
  h.server_id = r.u32("event header");
  h.event_size = r.u32("event header");
  h.log_pos = r.u32("event header");
  h.flags = r.u16("event header");
  if (r.failed()) return r.error();
  return h;
}

ServerVersion parse_server_version(std::string_view text) {
  ServerVersion v;
  int* parts[] = {&v.major, &v.minor, &v.patch};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3 && p < end; ++i) {
    auto [next, ec] = std::from_chars(p, end, *parts[i]);
    if (ec != std::errc()) break;
    p = next;
    if (p < end && *p == '.')
      ++p;
    else
      break;
  }
  return v;
}

Flavor flavor_of(std::string_view server_version) {
  return server_version.find("MariaDB") != std::string_view::npos ||
                 server_version.find("-maria-") != std::string_view::npos
             ? Flavor::kMariaDB
             : Flavor::kMySQL;
}

// FORMAT_DESCRIPTION body:
//   +0 binlog_version u16 | +2 server_version char[50] | +52 create_timestamp u32
//   +56 header_length u8 | +57 post-header lengths, one per type
//   [checksum_alg u8 | crc32 u32]   (servers from MySQL 5.6.1 / MariaDB 5.3.0)
Result<FormatDescription> decode_format_description(Bytes body, uint64_t offset) {
  ByteReader r(body, offset);
  FormatDescription f;
  f.binlog_version = r.u16("binlog version");
  std::string_view version = r.chars(50, "server version");
  f.create_timestamp = r.u32("create timestamp");
  f.header_length = r.u8("header length");
  if (r.failed()) return r.error();
  if (f.binlog_version != 4) {
    return DecodeError{offset, "format description says binlog version " +
                                   std::to_string(f.binlog_version) + ", expected 4"};
  }
  if (f.header_length < kHeaderLength) {
    return DecodeError{offset + 56, "format description header length " +
                                        std::to_string(f.header_length) + " is below 19"};
  }
  f.server_version = std::string(version.substr(0, version.find('\0')));
  f.version = parse_server_version(f.server_version);
  f.flavor = flavor_of(f.server_version);

  // The servers decide whether the alg byte exists from the version alone
  // (checksum_version_split: MySQL 5.6.1, MariaDB 5.3.0).
  f.has_checksum_footer =
      f.flavor == Flavor::kMariaDB ? f.version.at_least(5, 3, 0) : f.version.at_least(5, 6, 1);
  std::size_t lengths_end = body.size();
  if (f.has_checksum_footer) {
    if (body.size() < 57 + 1 + kChecksumLength) {
      return DecodeError{offset + body.size(),
                         "format description too short for its checksum footer"};
    }
    lengths_end = body.size() - 1 - kChecksumLength;
    const uint8_t alg = std::to_integer<uint8_t>(body[lengths_end]);
    if (alg == 0)
      f.checksum = ChecksumAlg::kNone;
    else if (alg == 1)
      f.checksum = ChecksumAlg::kCrc32;
    else if (alg == 255)
      f.checksum = ChecksumAlg::kUndefined;
    else {
      return DecodeError{offset + lengths_end, "unknown checksum algorithm " + std::to_string(alg) +
                                                   " in format description"};
    }
  }
  f.post_header_lengths = std::string(as_chars(body.subspan(57, lengths_end - 57)));
  return f;
}

FormatDescription format_for_start_v3(std::string_view server_version) {
  FormatDescription f;
  f.binlog_version = 3;
  f.server_version = std::string(server_version);
  f.version = parse_server_version(server_version);
  f.flavor = Flavor::kMySQL;
  // MySQL 4.x post-header lengths (QUERY 11, ROTATE 8, LOAD 18, CREATE_FILE 4,
  // APPEND_BLOCK 4, EXEC_LOAD 4, DELETE_FILE 4, NEW_LOAD 18).
  f.post_header_lengths = std::string{56, 11, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0};
  return f;
}

FormatDescription default_format() {
  FormatDescription f;
  f.server_version = "5.0.0";
  f.version = {5, 0, 0};
  f.post_header_lengths = std::string{56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 84};
  return f;
}

}  // namespace twinlog::protocol
