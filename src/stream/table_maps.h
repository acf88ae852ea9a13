// The table maps in force, by table_id. A rows event refers to a TABLE_MAP that
// came earlier, possibly in a buffer the source has released since, so each map is
// kept with an owned copy of its event's bytes, its views moved onto that copy
// (decoding it again from the copy cost every rows event a second decode).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "protocol/events.h"

namespace twinlog {

class TableMaps {
 public:
  // Keeps `decoded` (the map decoded from `view`, a TABLE_MAP event) with a copy
  // of the event's bytes, and returns it as an Event holding that map.
  const protocol::Event& remember(const protocol::EventView& view,
                                  protocol::TableMapEvent&& decoded);
  // Decodes `view` (a TABLE_MAP event) and keeps it; throws when it does not decode.
  const protocol::TableMapEvent& remember(const protocol::EventView& view,
                                          const protocol::FormatDescription& format);
  // The map for a table_id, or nullptr.
  const protocol::TableMapEvent* find(uint64_t table_id) const;
  void clear() { maps_.clear(); }

 private:
  struct Entry {
    std::vector<std::byte> raw;
    protocol::Event event;  // always a TableMapEvent
  };
  std::unordered_map<uint64_t, std::unique_ptr<Entry>> maps_;
};

}  // namespace twinlog
