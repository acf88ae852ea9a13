// Typed column values, built from a cell only when asked, and their renderings:
// SQL-ish text as mysqlbinlog -vv prints it, and JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/events.h"
#include "protocol/result.h"

namespace twinlog::protocol {

struct NullValue {};
// An integer column. Signedness comes from optional metadata or a schema; when
// neither is known both readings are available and `is_unsigned` is empty.
struct IntValue {
  uint64_t bits = 0;   // the stored bytes, zero-extended
  uint8_t width = 0;   // 1, 2, 3, 4 or 8 bytes
  std::optional<bool> is_unsigned;
  int64_t as_signed() const {
    if (width >= 8) return static_cast<int64_t>(bits);
    const uint64_t sign = uint64_t{1} << (width * 8 - 1);
    return static_cast<int64_t>((bits ^ sign) - sign);
  }
  uint64_t as_unsigned() const { return bits; }
};
struct RealValue {
  double value = 0;
  bool is_float = false;  // FLOAT (4 bytes) rather than DOUBLE
};
struct DecimalValue {
  std::string text;  // exact, e.g. "-1234.5600"
};
struct DateValue {
  uint32_t year = 0, month = 0, day = 0;  // zero dates allowed
};
struct TimeValue {
  bool negative = false;
  uint32_t hours = 0, minutes = 0, seconds = 0, micros = 0;
  uint8_t fsp = 0;
};
struct DateTimeValue {
  uint32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
  uint8_t fsp = 0;
};
struct TimestampValue {  // seconds since the epoch, UTC
  uint64_t seconds = 0;
  uint32_t micros = 0;
  uint8_t fsp = 0;
};
struct YearValue {
  uint32_t year = 0;  // 0 is the zero year "0000"
};
struct StringValue {  // CHAR, VARCHAR, TEXT, BINARY, BLOB: bytes as stored
  Bytes bytes;
  std::optional<uint32_t> charset;  // collation id; 63 = binary
};
struct EnumValue {
  uint32_t index = 0;  // 1-based, 0 = the empty error value
  std::string_view name;  // when metadata has the names
};
struct SetValue {
  uint64_t bits = 0;
  std::vector<std::string_view> names;  // members, when metadata has the names
};
struct BitValue {
  uint64_t bits = 0;
  uint32_t width = 0;  // bits
};
struct JsonValue {
  std::string text;  // JSON text of the binary JSON document
};
struct JsonDiffValue {  // PARTIAL_UPDATE_ROWS: diffs against the before image
  struct Diff {
    enum Op : uint8_t { kReplace = 0, kInsert = 1, kRemove = 2 } op = kReplace;
    std::string path;
    std::string value;  // JSON text, empty for remove
  };
  std::vector<Diff> diffs;
};
struct GeometryValue {
  uint32_t srid = 0;
  Bytes wkb;
};
struct VectorValue {
  std::vector<float> values;
};

using Value = std::variant<NullValue, IntValue, RealValue, DecimalValue, DateValue, TimeValue,
                           DateTimeValue, TimestampValue, YearValue, StringValue, EnumValue,
                           SetValue, BitValue, JsonValue, JsonDiffValue, GeometryValue,
                           VectorValue>;

// Builds the value of one cell. `signedness` overrides the table map's (schema given).
Result<Value> decode_value(const ColumnDef& column, const Cell& cell);

// mysqlbinlog -vv style: 123, -1.5, 'text' (escaped), '2024-01-02 03:04:05.123',
// b'0101', NULL, and for an integer of unknown sign the signed reading followed by
// " (unsigned reading)" as mysqlbinlog does.
std::string to_sql_text(const Value& value);
// Appends a JSON rendering: numbers as numbers (big unsigned and decimals as
// strings), strings as JSON strings (invalid UTF-8 as {"hex": "..."}), temporals as
// strings, JSON as embedded JSON.
void append_json(std::string& out, const Value& value);
// mysqlbinlog's type description for -vv comments, e.g. "INT", "VARSTRING(255)",
// "DECIMAL(10,2)", "TIMESTAMP(6)".
std::string column_type_text(const ColumnDef& column);

}  // namespace twinlog::protocol
