#include "protocol/crc32.h"

#include <isa-l/crc.h>
#include <zlib.h>

#include <algorithm>

namespace twinlog::protocol {

uint32_t crc32_update_zlib(uint32_t crc, Bytes bytes) {
  uLong c = crc;
  // zlib takes uInt lengths; events are at most 1 GiB, but stay general.
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes = bytes.subspan(n);
  }
  return static_cast<uint32_t>(c);
}

// Intel ISA-L picks the fastest CRC32 it has for this CPU at run time (carry-less
// multiply folds with SSE, AVX2 or AVX-512); crc32_gzip_refl is zlib's CRC32
// (reflected 0xEDB88320) and continues a finished CRC the way zlib's crc32() does.
uint32_t crc32_update(uint32_t crc, Bytes bytes) {
  return crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

}  // namespace twinlog::protocol
