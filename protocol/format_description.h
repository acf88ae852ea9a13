// The v4 common header and the format description event: everything needed to
// frame and decode the events that follow it. Flavor and version are decided
// here, once, from the server version string.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/byte_reader.h"
#include "protocol/result.h"

namespace twinlog::protocol {

inline constexpr std::array<std::byte, 4> kBinlogMagic{std::byte{0xfe}, std::byte{0x62},
                                                       std::byte{0x69}, std::byte{0x6e}};
inline constexpr std::size_t kHeaderLength = 19;
inline constexpr std::size_t kChecksumLength = 4;
inline constexpr uint32_t kMaxEventSize = 1u << 30;  // max_allowed_packet bound

// The common header's flags (the servers' LOG_EVENT_*_F).
inline constexpr uint16_t kFlagBinlogInUse = 0x0001;
inline constexpr uint16_t kFlagThreadSpecific = 0x0004;
inline constexpr uint16_t kFlagSuppressUse = 0x0008;
inline constexpr uint16_t kFlagArtificial = 0x0020;
inline constexpr uint16_t kFlagIgnorable = 0x0080;

// Common header, 19 bytes, little-endian:
//   +0 timestamp u32 | +4 type u8 | +5 server_id u32 | +9 event_size u32
//   +13 log_pos u32 | +17 flags u16
struct EventHeader {
  uint32_t timestamp = 0;
  uint8_t type_code = 0;
  uint32_t server_id = 0;
  uint32_t event_size = 0;
  uint32_t log_pos = 0;
  uint16_t flags = 0;
};
// Reads the common header from the first 19 bytes of `bytes`.
Result<EventHeader> parse_header(Bytes bytes, uint64_t offset);

enum class Flavor : uint8_t { kMySQL, kMariaDB };
enum class ChecksumAlg : uint8_t { kNone = 0, kCrc32 = 1, kUndefined = 255 };

struct ServerVersion {
  int major = 0, minor = 0, patch = 0;
  bool at_least(int ma, int mi, int pa) const {
    if (major != ma) return major > ma;
    if (minor != mi) return minor > mi;
    return patch >= pa;
  }
};

struct FormatDescription {
  uint16_t binlog_version = 4;
  std::string server_version;  // as written, e.g. "10.11.6-MariaDB-log"
  ServerVersion version;
  Flavor flavor = Flavor::kMySQL;
  uint32_t create_timestamp = 0;
  uint8_t header_length = kHeaderLength;
  std::string post_header_lengths;  // one byte per event type code - 1
  ChecksumAlg checksum = ChecksumAlg::kNone;
  // True when the FDE itself carries an alg byte and CRC footer (5.6.1+ / MariaDB 5.3+).
  bool has_checksum_footer = false;

  bool is_mariadb() const { return flavor == Flavor::kMariaDB; }
  // Post-header length for a type code; 0 when the FDE does not list the type.
  uint8_t post_header_length(uint8_t type_code) const {
    if (type_code == 0 || type_code > post_header_lengths.size()) return 0;
    return static_cast<uint8_t>(post_header_lengths[type_code - 1]);
  }
  // Bytes at the end of every event (other than the FDE) that hold a checksum.
  std::size_t footer_length() const {
    return checksum == ChecksumAlg::kCrc32 ? kChecksumLength : 0;
  }
};

// Decodes a FORMAT_DESCRIPTION_EVENT body (after the 19-byte header, footer included:
// the alg byte and CRC are inside `body_with_footer`). `offset` is the body's file offset.
Result<FormatDescription> decode_format_description(Bytes body_with_footer, uint64_t offset);

// The format of binlog version 3 files (MySQL 4.0/4.1, START_EVENT_V3 first),
// which have no FDE. Version 1 (3.23) has a 13-byte header and is refused.
FormatDescription format_for_start_v3(std::string_view server_version);

// A format for reading the first event of a file (before any FDE is known):
// MySQL 5.0+ defaults with no checksum.
FormatDescription default_format();

ServerVersion parse_server_version(std::string_view text);
Flavor flavor_of(std::string_view server_version);

}  // namespace twinlog::protocol
