#include "tools/twinlog/datetime_cli.h"

#include <cctype>
#include <charconv>
#include <ctime>
#include <string_view>

namespace twinlog::cli {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// Reads 1 to `max_digits` digits at `pos`; nullopt when there is none.
std::optional<int> read_number(std::string_view text, size_t& pos, size_t max_digits) {
  size_t end = pos;
  while (end < text.size() && end - pos < max_digits && is_digit(text[end])) ++end;
  if (end == pos) return std::nullopt;
  int v = 0;
  std::from_chars(text.data() + pos, text.data() + end, v);
  pos = end;
  return v;
}

// The separator between a date's or a time's parts: one punctuation character,
// as the server's DATETIME parser allows.
bool skip_separator(std::string_view text, size_t& pos) {
  if (pos >= text.size() || !std::ispunct(static_cast<unsigned char>(text[pos]))) return false;
  ++pos;
  return true;
}

std::optional<uint32_t> local_time(std::tm tm) {
  const std::tm asked = tm;
  tm.tm_isdst = -1;  // the zone's rule for that date decides
  const std::time_t t = std::mktime(&tm);
  // mktime normalises 2026-02-31 to March: a field that moved was out of range.
  if (t < 0 || t > std::time_t{UINT32_MAX} || tm.tm_mday != asked.tm_mday ||
      tm.tm_mon != asked.tm_mon || tm.tm_year != asked.tm_year)
    return std::nullopt;
  return static_cast<uint32_t>(t);
}

std::optional<uint32_t> from_digits(std::string_view text) {
  if (text.size() <= 10) {  // seconds since the epoch
    uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    if (v > UINT32_MAX) return std::nullopt;
    return static_cast<uint32_t>(v);
  }
  if (text.size() != 14) return std::nullopt;
  auto part = [&](size_t at, size_t n) {
    int v = 0;
    std::from_chars(text.data() + at, text.data() + at + n, v);
    return v;
  };
  std::tm tm{};
  tm.tm_year = part(0, 4) - 1900;
  tm.tm_mon = part(4, 2) - 1;
  tm.tm_mday = part(6, 2);
  tm.tm_hour = part(8, 2);
  tm.tm_min = part(10, 2);
  tm.tm_sec = part(12, 2);
  if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) return std::nullopt;
  return local_time(tm);
}

}  // namespace

std::optional<uint32_t> parse_datetime(const std::string& given) {
  std::string_view text = given;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string_view::npos) return from_digits(text);

  size_t pos = 0;
  const size_t year_start = pos;
  auto year = read_number(text, pos, 4);
  if (!year || (pos - year_start != 2 && pos - year_start != 4)) return std::nullopt;
  if (pos - year_start == 2) *year += *year < 70 ? 2000 : 1900;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  if (!skip_separator(text, pos)) return std::nullopt;
  auto month = read_number(text, pos, 2);
  if (!month || !skip_separator(text, pos)) return std::nullopt;
  auto day = read_number(text, pos, 2);
  if (!day || *month < 1 || *month > 12 || *day < 1) return std::nullopt;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == 'T')) ++pos;
    int* fields[] = {&tm.tm_hour, &tm.tm_min, &tm.tm_sec};
    const int limits[] = {23, 59, 59};
    for (size_t i = 0; i < 3 && pos < text.size(); ++i) {
      if (i > 0 && !skip_separator(text, pos)) return std::nullopt;
      auto v = read_number(text, pos, 2);
      if (!v || *v > limits[i]) return std::nullopt;
      *fields[i] = *v;
    }
    // Fractions of a second, which a binlog's whole-second times cannot tell apart.
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) ++pos;
    }
    if (pos != text.size()) return std::nullopt;
  }
  return local_time(tm);
}

}  // namespace twinlog::cli
