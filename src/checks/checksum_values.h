// The values `twinlog checksum` reads, as it hashes and shows them. A row is kept
// as one byte string, its columns one after the other as
//   [1 byte: 0 NULL, 1 value][4 bytes LE: length][length bytes]
// where a value is the binary protocol's own bytes: an integer or a FLOAT / DOUBLE
// in its little-endian machine form (no text rounding), a temporal value packed
// from its MYSQL_TIME (temporal_bytes), a DECIMAL's digits, a string's or a BLOB's
// or a BIT's stored bytes (character_set_results is NULL, so nothing is converted).
// The NULL flag and the length keep NULL, '' and a shifted boundary apart. The row
// hash is XXH3-64 over that string: non-linear, so edits do not cancel in a sum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog::checks {

enum class ValueKind : uint8_t {
  kSigned,    // TINYINT .. BIGINT, YEAR: LE two's complement, 1/2/4/8 bytes
  kUnsigned,  // the same, UNSIGNED
  kFloat,     // 4 bytes IEEE
  kDouble,    // 8 bytes IEEE
  kDate,      // temporal_bytes
  kTime,
  kDateTime,
  kDecimal,  // digits as text
  kText,     // characters in the column's character set
  kBinary,   // BINARY, VARBINARY, BLOB, GEOMETRY
  kBit,      // big-endian bytes
};

struct ValueColumn {
  std::string name;
  ValueKind kind = ValueKind::kText;
  unsigned decimals = 0;  // fractional second digits of a temporal column
};

// A MYSQL_TIME's fields, packed in a fixed order so that no struct padding is
// hashed: year(2) month day hour(2) minute second second_part(4) neg, LE, and a
// zero byte.
constexpr std::size_t kTemporalBytes = 14;
inline void pack_temporal(char (&out)[kTemporalBytes], unsigned year, unsigned month, unsigned day,
                          unsigned hour, unsigned minute, unsigned second,
                          unsigned long second_part, bool neg) {
  const uint64_t fields[] = {year,
                             year >> 8,
                             month,
                             day,
                             hour,
                             hour >> 8,
                             minute,
                             second,
                             second_part,
                             second_part >> 8,
                             second_part >> 16,
                             second_part >> 24};
  for (std::size_t i = 0; i < 12; ++i) out[i] = static_cast<char>(fields[i] & 0xff);
  out[12] = neg ? '\1' : '\0';
  out[13] = '\0';
}
std::string temporal_bytes(unsigned year, unsigned month, unsigned day, unsigned hour,
                           unsigned minute, unsigned second, unsigned long second_part, bool neg);

// Appends one column value to a row string; nullopt is NULL. Inline: it runs
// for every value read.
inline void append_value(std::string& row, std::optional<std::string_view> value) {
  const uint32_t size = value ? static_cast<uint32_t>(value->size()) : 0;
  const char header[5] = {
      value ? '\1' : '\0', static_cast<char>(size & 0xff), static_cast<char>((size >> 8) & 0xff),
      static_cast<char>((size >> 16) & 0xff), static_cast<char>((size >> 24) & 0xff)};
  row.append(header, sizeof header);
  if (value) row.append(*value);
}

// The column values of a row string (views into it); empty when it is malformed.
std::vector<std::optional<std::string_view>> split_row(std::string_view row);

uint64_t row_hash(std::string_view row);

// A value as an SQL literal, exact: 17, -2.5E-7 (a DOUBLE's shortest round trip),
// '2026-11-26 05:41:02.000100', 'alice', X'00ff', b'101', NULL.
std::string sql_literal(const ValueColumn& column, std::optional<std::string_view> value);

// X'hex'.
std::string hex_literal(std::string_view bytes);

}  // namespace twinlog::checks
