// Binlog files as an EventSource. Plain files, zstd-compressed ones (known by
// zstd's magic number, whatever the name) and stdin ("-", either kind) all
// stream through one bounded buffer (1 MiB, more only for a larger event), so
// memory stays flat however large the file. Plain files are read with read(2)
// rather than mapped: the copy out of the page cache lands in a buffer that stays
// in the CPU cache, where the CRC pass and the decoders find it; a mapping costs a
// page-table walk and a cache miss per page (measured on bench/RESULTS.md's dense
// 1 GiB file: mmap + CRC32 0.49 to 0.62 s, read + CRC32 0.15 s).
#pragma once

#include <memory>
#include <string>

#include "src/source/event_source.h"

namespace twinlog {

// Opens one binlog file and checks its magic. Throws SourceError naming the file.
std::unique_ptr<EventSource> open_binlog_file(const std::string& path);

}  // namespace twinlog
