#include "src/stream/table_maps.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "protocol/table_map.h"

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

  // Where `b` starts in the event's bytes; nullopt when it is not inside them.
  std::optional<std::size_t> offset_of(protocol::Bytes b) const {
    if (!inside(b.data(), b.size())) return std::nullopt;
    return static_cast<std::size_t>(b.data() - from_.data());
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

// The table's entry with a copy of the event's bytes, `decoded`'s views moved
// onto that copy. The table's previous entry, if any, is reused: its copy's buffer
// keeps its size.
namespace {

// What of the format decode_table_map_into() depends on, besides the bytes.
uint8_t table_map_post_header(const protocol::FormatDescription& format) {
  return format.post_header_length(static_cast<uint8_t>(protocol::EventType::kTableMap));
}
bool short_maps(const protocol::FormatDescription& format) {
  return !format.is_mariadb() && !format.version.at_least(5, 1, 18);
}

}  // namespace

TableMaps::Entry& TableMaps::keep(const protocol::EventView& view,
                                  const protocol::FormatDescription& format,
                                  protocol::TableMapEvent& decoded) {
  auto& slot = maps_[decoded.table_id];
  if (!slot) slot = std::make_unique<Entry>();
  slot->raw.assign(view.raw.begin(), view.raw.end());
  const Rebase rebase(view.raw, slot->raw.data());
  slot->body_at = rebase.offset_of(view.body).value_or(kNotInRaw);
  slot->body_size = view.body.size();
  slot->post_header_length = table_map_post_header(format);
  slot->short_maps = short_maps(format);
  rebase(decoded.database);
  rebase(decoded.table);
  rebase(decoded.optional_metadata);
  for (protocol::ColumnDef& column : decoded.columns) {
    rebase(column.name);
    for (std::string_view& value : column.enum_values) rebase(value);
  }
  return *slot;
}

TableMaps::Entry* TableMaps::same_as_kept(const protocol::EventView& view,
                                          const protocol::FormatDescription& format) {
  const std::optional<uint64_t> id = protocol::table_map_id(view, format);
  if (!id) return nullptr;
  const auto it = maps_.find(*id);
  if (it == maps_.end()) return nullptr;
  Entry& kept = *it->second;
  if (kept.body_at == kNotInRaw || kept.body_size != view.body.size() ||
      kept.post_header_length != table_map_post_header(format) ||
      kept.short_maps != short_maps(format) ||
      std::memcmp(kept.raw.data() + kept.body_at, view.body.data(), kept.body_size) != 0) {
    return nullptr;
  }
  return &kept;
}

// A workload's transactions map their tables again, the same way each time: a map
// whose bytes are the kept map's is that map, not decoded again (decoding and
// keeping each map cost a tenth of the instructions of reading a ROW binlog).
protocol::Result<const protocol::Event*> TableMaps::decode(
    const protocol::EventView& view, const protocol::FormatDescription& format) {
  if (Entry* same = same_as_kept(view, format)) return &same->event;
  if (auto error = protocol::decode_table_map_into(view, format, scratch_)) {
    return std::move(*error);
  }
  Entry& entry = keep(view, format, scratch_);
  // The map replaced gives its buffers to the next decode.
  if (auto* old = std::get_if<protocol::TableMapEvent>(&entry.event)) {
    std::swap(*old, scratch_);
  } else {
    entry.event = std::move(scratch_);
  }
  const auto& map = std::get<protocol::TableMapEvent>(entry.event);
  entry.layouts.clear();
  for (const protocol::ColumnDef& column : map.columns) {
    entry.layouts.push_back(protocol::cell_layout(column));
  }
  return &entry.event;
}

const protocol::TableMapEvent& TableMaps::remember(const protocol::EventView& view,
                                                   const protocol::FormatDescription& format) {
  if (view.header.type_code != static_cast<uint8_t>(protocol::EventType::kTableMap)) {
    throw std::runtime_error("not a table map");
  }
  auto kept = decode(view, format);
  if (!kept) throw std::runtime_error("table map does not decode: " + kept.error().message);
  return std::get<protocol::TableMapEvent>(**kept);
}

const protocol::TableMapEvent* TableMaps::find(uint64_t table_id) const {
  return find_with_layouts(table_id).map;
}

TableMaps::Found TableMaps::find_with_layouts(uint64_t table_id) const {
  auto it = maps_.find(table_id);
  if (it == maps_.end()) return {};
  return {std::get_if<protocol::TableMapEvent>(&it->second->event), it->second->layouts};
}

}  // namespace twinlog
