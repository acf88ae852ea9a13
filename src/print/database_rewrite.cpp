#include "src/print/database_rewrite.h"

#include <cctype>
#include <cstring>

namespace twinlog {

using namespace protocol;

namespace {

bool blank(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::optional<RewriteDbRule> parse_rewrite_rule(std::string_view text) {
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  const std::size_t arrow = text.find("->");
  if (arrow == std::string_view::npos) return std::nullopt;
  std::string_view from = text.substr(0, arrow), to = text.substr(arrow + 2);
  while (!from.empty() && blank(from.back())) from.remove_suffix(1);
  while (!to.empty() && blank(to.front())) to.remove_prefix(1);
  std::size_t end = 0;
  while (end < to.size() && !blank(to[end])) ++end;
  to = to.substr(0, end);
  if (from.empty() || to.empty()) return std::nullopt;
  return RewriteDbRule{std::string(from), std::string(to)};
}

const std::string* DatabaseRewrite::renamed(std::string_view database) const {
  for (const RewriteDbRule& r : rules_) {
    if (r.from == database) return &r.to;
  }
  return nullptr;
}

// A table map's bytes with the new name in place of the old (its length byte,
// the name, its NUL), the event's length updated and everything after copied,
// the CRC32 included: Table_map_log_event::rewrite_db's buffer.
const StreamEvent& DatabaseRewrite::apply(const StreamEvent& se) {
  const auto* map = std::get_if<TableMapEvent>(se.event);
  const TableMapEvent* table = map ? map : se.table;
  if (!table || (!map && !std::holds_alternative<RowsEvent>(*se.event))) return se;
  const std::string* to = renamed(table->database);
  if (!to) return se;
  table_ = *table;
  table_.database = *to;
  rewritten_ = se;
  if (!map) {
    rewritten_.table = &table_;
    return rewritten_;
  }
  event_ = table_;
  rewritten_.event = &event_;
  const Bytes raw = se.view->raw;
  const Bytes body = se.view->body;
  // The name lies in the body after the post-header (a 6-byte table id and 2
  // bytes of flags; a 4-byte id before MySQL 5.1.4): its length byte, the name,
  // its NUL. Found there, not through the decoded name, which may point at a
  // copy of the event kept by the table maps.
  const std::string_view old_name = map->database;
  std::size_t at = 0;
  for (const std::size_t post_header : {std::size_t{8}, std::size_t{6}}) {
    const std::size_t name_at = post_header + 1;
    if (body.size() <= name_at + old_name.size() ||
        std::to_integer<std::size_t>(body[post_header]) != old_name.size() ||
        body[name_at + old_name.size()] != std::byte{0} ||
        std::memcmp(body.data() + name_at, old_name.data(), old_name.size()) != 0) {
      continue;
    }
    at = static_cast<std::size_t>(body.data() - raw.data()) + name_at;
    break;
  }
  if (at <= kHeaderLength) return rewritten_;
  raw_.assign(raw.begin(), raw.begin() + at - 1);
  raw_.push_back(std::byte{static_cast<uint8_t>(to->size())});
  for (char c : *to) raw_.push_back(std::byte{static_cast<uint8_t>(c)});
  raw_.insert(raw_.end(), raw.begin() + at + map->database.size(), raw.end());
  const uint32_t size = static_cast<uint32_t>(raw_.size());
  for (int i = 0; i < 4; ++i) raw_[9 + i] = std::byte{static_cast<uint8_t>(size >> (8 * i))};
  view_ = *se.view;
  view_.raw = Bytes(raw_.data(), raw_.size());
  view_.header.event_size = size;
  const std::size_t body_at = static_cast<std::size_t>(se.view->body.data() - raw.data());
  view_.body = Bytes(raw_.data() + body_at, se.view->body.size() + raw_.size() - raw.size());
  rewritten_.view = &view_;
  return rewritten_;
}

}  // namespace twinlog
