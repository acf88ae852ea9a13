// CRC32 as binlog checksums use it (ISO-HDLC, reflected polynomial 0xEDB88320:
// zlib's crc32), computed by Intel ISA-L (Debian's libisal), which is 2-3x faster
// than zlib 1.2.13 on large buffers; zlib's is kept as the reference in tests.
#pragma once

#include <cstdint>

#include "protocol/byte_reader.h"

namespace twinlog::protocol {

// Continues `crc` (a finished CRC32, 0 for none) over `bytes`, as zlib's
// crc32(crc, bytes, size) does.
uint32_t crc32_update(uint32_t crc, Bytes bytes);

// The same with zlib: the reference ISA-L is tested against.
uint32_t crc32_update_zlib(uint32_t crc, Bytes bytes);

}  // namespace twinlog::protocol
