#include "src/stream/table_maps.h"

#include <stdexcept>

namespace twinlog {

const protocol::TableMapEvent& TableMaps::remember(const protocol::EventView& view,
                                                   const protocol::FormatDescription& format) {
  auto entry = std::make_unique<Entry>();
  entry->raw.assign(view.raw.begin(), view.raw.end());
  protocol::EventView copy = view;
  copy.raw = protocol::Bytes(entry->raw.data(), entry->raw.size());
  copy.body = copy.raw.subspan(static_cast<std::size_t>(view.body.data() - view.raw.data()),
                               view.body.size());
  auto decoded = protocol::decode_event(copy, format);
  // The caller decoded the same bytes successfully before calling.
  if (!decoded)
    throw std::logic_error("table map did not decode again: " + decoded.error().message);
  entry->map = std::get<protocol::TableMapEvent>(std::move(*decoded));
  auto& slot = maps_[entry->map.table_id];
  slot = std::move(entry);
  return slot->map;
}

const protocol::TableMapEvent* TableMaps::find(uint64_t table_id) const {
  auto it = maps_.find(table_id);
  return it == maps_.end() ? nullptr : &it->second->map;
}

}  // namespace twinlog
