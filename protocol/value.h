// Typed column values, built from a cell only when asked. Their renderings (SQL-ish
// text as mysqlbinlog -vv prints it, and JSON) are in value_text.h.
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
#include "protocol/row_image.h"

namespace twinlog::protocol {

struct NullValue {};
// An integer column. Signedness comes from optional metadata or a schema; when
// neither is known both readings are available and `is_unsigned` is empty.
struct IntValue {
  uint64_t bits = 0;  // the stored bytes, zero-extended
  uint8_t width = 0;  // 1, 2, 3, 4 or 8 bytes
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
  uint32_t index = 0;     // 1-based, 0 = the empty error value
  std::string_view name;  // when metadata has the names
  bool name_known = false;
};
struct SetValue {
  uint64_t bits = 0;
  uint8_t width = 0;                    // pack length in bytes (1..8)
  std::vector<std::string_view> names;  // members, when metadata has the names
  bool names_known = false;
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
  uint32_t column = 0;  // 1-based column number (the @N the diffs apply to), 0 if unknown
};
struct GeometryValue {
  uint32_t srid = 0;
  Bytes wkb;
};
struct VectorValue {
  std::vector<float> values;
};

using Value =
    std::variant<NullValue, IntValue, RealValue, DecimalValue, DateValue, TimeValue, DateTimeValue,
                 TimestampValue, YearValue, StringValue, EnumValue, SetValue, BitValue, JsonValue,
                 JsonDiffValue, GeometryValue, VectorValue>;

// Builds the value of one cell (a NullValue for a null cell). Signedness comes
// from column.is_unsigned (optional metadata, or a schema the caller filled in).
// A cell with Cell::partial_json gives a JsonDiffValue.
Result<Value> decode_value(const ColumnDef& column, const Cell& cell);
// The same for a cell `reader` walked, with the column layouts the reader worked
// out once per rows event (rather than once per cell).
Result<Value> decode_value(const RowReader& reader, const Cell& cell);
// Empty when a value decoded, else why it did not.
using DecodeStatus = std::optional<DecodeError>;
// Builds the value as decode_value(reader, cell) does, then drops it: for a consumer
// that needs every value decoded but keeps none (twinlog stats), without the cost
// of handing each one out in a Result.
DecodeStatus decode_value_and_drop(const RowReader& reader, const Cell& cell);

}  // namespace twinlog::protocol
