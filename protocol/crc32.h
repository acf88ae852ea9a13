// CRC32 as binlog checksums use it (ISO-HDLC, reflected polynomial 0xEDB88320:
// zlib's crc32). Large buffers go through a carry-less multiply fold when the CPU
// has PCLMULQDQ; the rest, and other CPUs, through zlib.
#pragma once

#include <cstdint>

#include "protocol/byte_reader.h"

namespace twinlog::protocol {

// Continues `crc` (a finished CRC32, 0 for none) over `bytes`, as zlib's
// crc32(crc, bytes, size) does.
uint32_t crc32_update(uint32_t crc, Bytes bytes);

// The same with zlib only: the reference the fold is tested against.
uint32_t crc32_update_zlib(uint32_t crc, Bytes bytes);

}  // namespace twinlog::protocol
