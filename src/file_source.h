// Binlog files as an EventSource: plain files are mmapped (pages behind the
// reader are dropped so memory stays flat however large the file), .zst files and
// stdin ("-") stream through a bounded buffer.
#pragma once

#include <memory>
#include <string>

#include "src/event_source.h"

namespace twinlog {

// Opens one binlog file and checks its magic. Throws SourceError naming the file.
std::unique_ptr<EventSource> open_binlog_file(const std::string& path);

}  // namespace twinlog
