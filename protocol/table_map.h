// Decoding a TABLE_MAP into a map kept from before, so that a reader that keeps
// one map per table decodes each new one without allocating its column list
// (src/stream/table_maps.h). decode_event() decodes into a new map.
#pragma once

#include <optional>

#include "protocol/events.h"
#include "protocol/format_description.h"
#include "protocol/result.h"

namespace twinlog::protocol {

// A TABLE_MAP decoded into `out`, whose vectors' buffers are reused. Every field
// of `out` is the new map's; on an error, `out` is left partly decoded.
std::optional<DecodeError> decode_table_map_into(const EventView& view,
                                                 const FormatDescription& format,
                                                 TableMapEvent& out);

// The table id of a TABLE_MAP, read without decoding the rest; nullopt when the
// body is shorter than the id.
std::optional<uint64_t> table_map_id(const EventView& view, const FormatDescription& format);

}  // namespace twinlog::protocol
