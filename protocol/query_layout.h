// The QUERY event layout, shared by QUERY (2) and EXECUTE_LOAD_QUERY (18),
// which is a QUERY with more post-header bytes. Internal to protocol/.
#pragma once

#include <cstddef>

#include "protocol/events.h"

namespace twinlog::protocol {

// Decodes a QUERY-shaped body whose post-header is `post_header_len` bytes long
// (11 for binlog v3, which has no status variables; 13 for v4; more for derived
// events). The post-header bytes after the QUERY ones go to `derived` (their
// absolute offset to `derived_offset`).
Result<QueryEvent> decode_query_layout(const EventView& view, std::size_t post_header_len,
                                       Bytes* derived, uint64_t* derived_offset);

}  // namespace twinlog::protocol
