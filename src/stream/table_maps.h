// The table maps in force, by table_id. A rows event refers to a TABLE_MAP that
// came earlier, possibly in a buffer the source has released since, so each map is
// kept as an owned copy of its event and decoded again from that copy.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "protocol/events.h"

namespace twinlog {

class TableMaps {
 public:
  // Keeps a copy of `view` (a TABLE_MAP event) and returns the map decoded from it.
  const protocol::TableMapEvent& remember(const protocol::EventView& view,
                                          const protocol::FormatDescription& format);
  // The map for a table_id, or nullptr.
  const protocol::TableMapEvent* find(uint64_t table_id) const;
  void clear() { maps_.clear(); }

 private:
  struct Entry {
    std::vector<std::byte> raw;
    protocol::TableMapEvent map;
  };
  std::unordered_map<uint64_t, std::unique_ptr<Entry>> maps_;
};

}  // namespace twinlog
