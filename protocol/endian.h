// Explicit little- and big-endian loads. Callers guarantee the bytes exist
// (ByteReader checks bounds before calling these).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace twinlog::protocol {

inline uint16_t load_le16(const std::byte* p) {
  return static_cast<uint16_t>(std::to_integer<uint16_t>(p[0]) |
                               (std::to_integer<uint16_t>(p[1]) << 8));
}
inline uint32_t load_le24(const std::byte* p) {
  return std::to_integer<uint32_t>(p[0]) | (std::to_integer<uint32_t>(p[1]) << 8) |
         (std::to_integer<uint32_t>(p[2]) << 16);
}
inline uint32_t load_le32(const std::byte* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
inline uint64_t load_le48(const std::byte* p) {
  return static_cast<uint64_t>(load_le32(p)) | (static_cast<uint64_t>(load_le16(p + 4)) << 32);
}
inline uint64_t load_le64(const std::byte* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}
// Little-endian unsigned integer of 1..8 bytes.
inline uint64_t load_le_n(const std::byte* p, std::size_t n) {
  switch (n) {  // the widths row images hold, without a loop
    case 1:
      return std::to_integer<uint64_t>(p[0]);
    case 2:
      return load_le16(p);
    case 3:
      return load_le24(p);
    case 4:
      return load_le32(p);
    case 8:
      return load_le64(p);
    default: {
      uint64_t v = 0;
      for (std::size_t i = 0; i < n; ++i) v |= std::to_integer<uint64_t>(p[i]) << (8 * i);
      return v;
    }
  }
}
// Big-endian unsigned integer of 1..8 bytes (DECIMAL and temporal2 encodings).
inline uint64_t load_be_n(const std::byte* p, std::size_t n) {
  uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | std::to_integer<uint64_t>(p[i]);
  return v;
}

}  // namespace twinlog::protocol
