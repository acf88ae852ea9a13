#include "src/stream/table_maps.h"

#include <stdexcept>
#include <string_view>
#include <utility>

namespace twinlog {
namespace {

// Moves views into the event's bytes onto the kept copy of them. A view outside
// those bytes (an empty one) is left as it is.
class Rebase {
 public:
  Rebase(protocol::Bytes from, std::byte* to) : from_(from), to_(to) {}

  void operator()(std::string_view& s) const {
    const auto* p = reinterpret_cast<const std::byte*>(s.data());
    if (inside(p, s.size()))
      s = std::string_view(reinterpret_cast<const char*>(moved(p)), s.size());
  }
  void operator()(protocol::Bytes& b) const {
    if (inside(b.data(), b.size())) b = protocol::Bytes(moved(b.data()), b.size());
  }

 private:
  bool inside(const std::byte* p, std::size_t size) const {
    // Compared as addresses: a pointer from elsewhere is not ordered with these.
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    const auto begin = reinterpret_cast<std::uintptr_t>(from_.data());
    return p != nullptr && at >= begin && at - begin + size <= from_.size();
  }
  const std::byte* moved(const std::byte* p) const { return to_ + (p - from_.data()); }

  protocol::Bytes from_;
  std::byte* to_;
};

}  // namespace

const protocol::Event& TableMaps::remember(const protocol::EventView& view,
                                           protocol::TableMapEvent&& decoded) {
  auto& slot = maps_[decoded.table_id];
  // The table's previous entry, if any, is reused: its copy's buffer keeps its size.
  if (!slot) slot = std::make_unique<Entry>();
  slot->raw.assign(view.raw.begin(), view.raw.end());
  const Rebase rebase(view.raw, slot->raw.data());
  rebase(decoded.database);
  rebase(decoded.table);
  rebase(decoded.optional_metadata);
  for (protocol::ColumnDef& column : decoded.columns) {
    rebase(column.name);
    for (std::string_view& value : column.enum_values) rebase(value);
  }
  slot->event = std::move(decoded);
  return slot->event;
}

const protocol::TableMapEvent& TableMaps::remember(const protocol::EventView& view,
                                                   const protocol::FormatDescription& format) {
  auto decoded = protocol::decode_event(view, format);
  if (!decoded) throw std::runtime_error("table map does not decode: " + decoded.error().message);
  auto* map = std::get_if<protocol::TableMapEvent>(&*decoded);
  if (!map) throw std::runtime_error("not a table map");
  return std::get<protocol::TableMapEvent>(remember(view, std::move(*map)));
}

const protocol::TableMapEvent* TableMaps::find(uint64_t table_id) const {
  auto it = maps_.find(table_id);
  return it == maps_.end() ? nullptr : std::get_if<protocol::TableMapEvent>(&it->second->event);
}

}  // namespace twinlog
