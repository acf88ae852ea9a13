// The table maps in force, by table_id. A rows event refers to a TABLE_MAP that
// came earlier, possibly in a buffer the source has released since, so each map is
// kept with an owned copy of its event's bytes, its views moved onto that copy
// (decoding it again from the copy cost every rows event a second decode).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "protocol/events.h"
#include "protocol/row_image.h"

namespace twinlog {

class TableMaps {
 public:
  // Decodes `view` (a TABLE_MAP event) and keeps it; throws when it does not decode.
  const protocol::TableMapEvent& remember(const protocol::EventView& view,
                                          const protocol::FormatDescription& format);
  // Decodes `view` (a TABLE_MAP event) into the buffers of the map it replaces
  // (allocating a column list for every map cost about 2% of a read), keeps it,
  // and returns it as an Event holding that map.
  protocol::Result<const protocol::Event*> decode(const protocol::EventView& view,
                                                  const protocol::FormatDescription& format);
  // The map for a table_id, or nullptr.
  const protocol::TableMapEvent* find(uint64_t table_id) const;
  // The map for a table_id (nullptr if none) with cell_layout() of each of its
  // columns, computed once per map decoded (for protocol::RowReader).
  struct Found {
    const protocol::TableMapEvent* map = nullptr;
    std::span<const protocol::CellLayout> layouts;
  };
  Found find_with_layouts(uint64_t table_id) const;
  void clear() { maps_.clear(); }

 private:
  struct Entry {
    std::vector<std::byte> raw;
    protocol::Event event;                      // always a TableMapEvent
    std::vector<protocol::CellLayout> layouts;  // of each of its columns
    // Where the event's body is in `raw` (npos: not in it), and what of the format
    // its decoding depended on.
    std::size_t body_at = kNotInRaw, body_size = 0;
    uint8_t post_header_length = 0;
    bool short_maps = false;  // decoded as MySQL 5.1.15-5.1.17's maps may be
  };
  static constexpr std::size_t kNotInRaw = SIZE_MAX;
  // The kept map of `view`'s table when `view` has its bytes, read with a format
  // that decodes them alike; else nullptr.
  Entry* same_as_kept(const protocol::EventView& view, const protocol::FormatDescription& format);
  Entry& keep(const protocol::EventView& view, const protocol::FormatDescription& format,
              protocol::TableMapEvent& decoded);

  std::unordered_map<uint64_t, std::unique_ptr<Entry>> maps_;
  protocol::TableMapEvent scratch_;  // the next map is decoded here: a replaced map's buffers
};

}  // namespace twinlog
