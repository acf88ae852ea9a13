// The `###` pseudo-SQL of a rows event as mariadb-binlog -v / -vv prints it: one
// line per column of each row image, with its type, metadata word and nullability
// in a comment under -vv.
#pragma once

#include <cstdint>
#include <string>

#include "src/stream/event_stream.h"

namespace twinlog {

// Appends the rows of `se` (a rows event) at `verbosity` 1 or 2 (0: nothing) and
// returns how many rows it holds, as mariadb-binlog counts them. Row values that
// fail to decode throw SourceError.
uint64_t append_rows_text(const StreamEvent& se, int verbosity, std::string& out);

}  // namespace twinlog
