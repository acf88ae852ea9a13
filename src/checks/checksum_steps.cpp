#include "src/checks/checksum_steps.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace twinlog::checks {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

}  // namespace

std::optional<KeySteps> KeySteps::for_table(const ChecksumTable& table) {
  if (table.key.size() != 1 || !integer_key(table)) return std::nullopt;
  for (const auto& c : table.columns) {
    if (c.name == table.key[0]) return KeySteps(c.type.find("unsigned") != std::string::npos);
  }
  return std::nullopt;
}

std::optional<uint64_t> KeySteps::point(const std::optional<std::string>& text) const {
  if (!text || text->empty()) return std::nullopt;
  const char* first = text->data();
  const char* last = first + text->size();
  if (unsigned_) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(first, last, v);
    if (ec != std::errc() || p != last) return std::nullopt;
    return v;
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || p != last) return std::nullopt;
  return static_cast<uint64_t>(v) ^ kSignBit;
}

std::string KeySteps::text(uint64_t point) const {
  if (unsigned_) return std::to_string(point);
  return std::to_string(static_cast<int64_t>(point ^ kSignBit));
}

void KeySteps::set_range(const std::optional<std::string>& min,
                         const std::optional<std::string>& max) {
  min_ = point(min);
  max_ = point(max);
  rows_per_value_.reset();
}

std::optional<std::optional<KeyValue>> KeySteps::plan(const std::optional<KeyValue>& lower,
                                                      uint64_t rows) const {
  if (!rows_per_value_ || !max_ || !lower || lower->size() != 1) return std::nullopt;
  const auto from = point((*lower)[0]);
  if (!from) return std::nullopt;
  const double wanted = std::ceil(static_cast<double>(rows) / *rows_per_value_);
  // At least one value on, and no further than the line's end.
  const double room = static_cast<double>(std::numeric_limits<uint64_t>::max() - *from);
  const uint64_t step = wanted >= room ? std::numeric_limits<uint64_t>::max() - *from
                                       : std::max<uint64_t>(1, static_cast<uint64_t>(wanted));
  const uint64_t upper = *from + step;
  if (upper >= *max_) return std::optional<KeyValue>();
  return std::optional<KeyValue>(KeyValue{text(upper)});
}

void KeySteps::observed(const ChunkRange& range, uint64_t rows_planned, uint64_t rows_read,
                        bool computed) {
  rows_per_value_.reset();
  if (!range.upper || range.upper->size() != 1) return;
  const auto upper = point((*range.upper)[0]);
  // The first chunk runs from the smallest key, inclusive.
  std::optional<uint64_t> base;
  if (range.lower) {
    if (range.lower->size() == 1) base = point((*range.lower)[0]);
  } else if (min_ && *min_ > 0) {
    base = *min_ - 1;
  }
  if (!upper || !base || *upper <= *base || rows_read == 0) return;
  // Far from the plan: the density changed within the chunk, so the next bound
  // is probed rather than guessed from it.
  if (computed && (rows_read > 2 * rows_planned || rows_read * 4 < rows_planned)) return;
  rows_per_value_ = static_cast<double>(rows_read) / static_cast<double>(*upper - *base);
}

}  // namespace twinlog::checks
