#include "src/checks/checksum_values.h"

#include <xxhash.h>

#include <charconv>
#include <cstring>

namespace twinlog::checks {
namespace {

uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::string two_digits(unsigned v) {
  std::string s = std::to_string(v);
  if (s.size() < 2) s.insert(0, 1, '0');
  return s;
}

std::string temporal_text(ValueKind kind, unsigned decimals, std::string_view b) {
  if (b.size() != 14) return "?";
  const auto year = get_le(b, 0, 2), month = get_le(b, 2, 1), day = get_le(b, 3, 1);
  const auto hour = get_le(b, 4, 2), minute = get_le(b, 6, 1), second = get_le(b, 7, 1);
  const auto fraction = get_le(b, 8, 4);
  const bool neg = b[12] != 0;
  std::string date, time;
  if (kind != ValueKind::kTime) {
    std::string y = std::to_string(year);
    date = std::string(4 - std::min<std::size_t>(4, y.size()), '0') + y + "-" +
           two_digits(static_cast<unsigned>(month)) + "-" + two_digits(static_cast<unsigned>(day));
  }
  if (kind != ValueKind::kDate) {
    if (neg) time.push_back('-');
    time.append(two_digits(static_cast<unsigned>(hour)))
        .append(":")
        .append(two_digits(static_cast<unsigned>(minute)))
        .append(":")
        .append(two_digits(static_cast<unsigned>(second)));
    if (decimals > 0 && decimals <= 6) {
      std::string f = std::to_string(fraction);
      f.insert(0, 6 - std::min<std::size_t>(6, f.size()), '0');
      time.append(".").append(f, 0, static_cast<std::size_t>(decimals));
    }
  }
  if (date.empty()) return time;
  if (time.empty()) return date;
  return date + " " + time;
}

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out + "'";
}

bool printable(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::string temporal_bytes(unsigned year, unsigned month, unsigned day, unsigned hour,
                           unsigned minute, unsigned second, unsigned long second_part, bool neg) {
  char out[kTemporalBytes];
  pack_temporal(out, year, month, day, hour, minute, second, second_part, neg);
  return std::string(out, sizeof out);
}

std::vector<std::optional<std::string_view>> split_row(std::string_view row) {
  std::vector<std::optional<std::string_view>> out;
  std::size_t at = 0;
  while (at < row.size()) {
    if (row.size() - at < 5) return {};
    const bool is_null = row[at] == '\0';
    const auto length = get_le(row, at + 1, 4);
    at += 5;
    if (row.size() - at < length) return {};
    if (is_null)
      out.emplace_back(std::nullopt);
    else
      out.emplace_back(row.substr(at, length));
    at += length;
  }
  return out;
}

uint64_t row_hash(std::string_view row) {
  return XXH3_64bits(row.data(), row.size());
}

std::string hex_literal(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "X'";
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out + "'";
}

std::string sql_literal(const ValueColumn& column, std::optional<std::string_view> value) {
  if (!value) return "NULL";
  const std::string_view b = *value;
  switch (column.kind) {
    case ValueKind::kSigned:
    case ValueKind::kUnsigned: {
      const int n = static_cast<int>(std::min<std::size_t>(b.size(), 8));
      uint64_t v = get_le(b, 0, n);
      if (column.kind == ValueKind::kUnsigned || n == 0) return std::to_string(v);
      if (n < 8 && (v >> (8 * n - 1)) != 0) v |= ~uint64_t{0} << (8 * n);  // sign-extend
      return std::to_string(static_cast<int64_t>(v));
    }
    case ValueKind::kFloat:
    case ValueKind::kDouble: {
      char buf[64];
      std::to_chars_result r{};
      if (column.kind == ValueKind::kFloat && b.size() == 4) {
        float f;
        std::memcpy(&f, b.data(), 4);
        r = std::to_chars(buf, buf + sizeof buf, f);
      } else if (b.size() == 8) {
        double d;
        std::memcpy(&d, b.data(), 8);
        r = std::to_chars(buf, buf + sizeof buf, d);
      } else {
        return hex_literal(b);
      }
      return std::string(buf, r.ptr);
    }
    case ValueKind::kDate:
    case ValueKind::kTime:
    case ValueKind::kDateTime:
      return std::string("'").append(temporal_text(column.kind, column.decimals, b)).append("'");
    case ValueKind::kDecimal:
      return std::string(b);
    case ValueKind::kText:
      return printable(b) ? quoted(b) : hex_literal(b);
    case ValueKind::kBinary:
    case ValueKind::kBit:
      return hex_literal(b);
  }
  return hex_literal(b);
}

}  // namespace twinlog::checks
