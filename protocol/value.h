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

// As mariadb-binlog / mysqlbinlog -vv prints a value after "###   @N=":
//   integers       123; of known sign the one right reading; of unknown sign
//                  "-1 (255)" (signed, then unsigned when negative)
//   FLOAT, DOUBLE  printf %g and %.20g ("1.1", "2.2219999999999999751"), without
//                  the padding mysqlbinlog adds after a FLOAT
//   DECIMAL        exact: -0.0000000123
//   DATE           '2001:02:03' (mysqlbinlog's colons)
//   TIME, DATETIME '-01:02:03.045', '2001-02-03 10:20:30.5' (fsp digits)
//   TIMESTAMP      seconds since the epoch, unquoted: 1341813496.123
//   YEAR           2001; 0 is 0000 (the server's zero year; mysqlbinlog says 1900)
//   strings        'text', bytes below 0x20 as \xNN, everything else as is
//                  (MariaDB COMPRESSED columns: their compressed bytes, as mariadb-binlog)
//   ENUM           the index; SET and BIT b'0101' (all bits of the pack length)
//   JSON           'json text'; partial JSON diffs as mysqlbinlog prints them:
//                  JSON_INSERT(JSON_REPLACE(@2, '$.a', 1, '$.b', "x"), '$.c', [1])
//                  (JSON_ARRAY_INSERT for an insert at an array position)
//   GEOMETRY       the quoted bytes (SRID + WKB); VECTOR '[1,2.5]'; NULL
std::string to_sql_text(const Value& value);
// The same, appended to `out`.
void append_sql_text(std::string& out, const Value& value);
// Decodes a cell `reader` walked and appends its text, as append_sql_text and
// append_json below do with its Value, without building one; appends nothing
// and says why when the value does not decode.
DecodeStatus append_sql_text(std::string& out, const RowReader& reader, const Cell& cell);
DecodeStatus append_json(std::string& out, const RowReader& reader, const Cell& cell);
// Appends a JSON rendering: integers as numbers (as strings beyond +-2^53),
// FLOAT/DOUBLE as shortest round-trip numbers (null if not finite), DECIMAL as a
// string, temporals as strings ("2001-02-03", "-01:02:03.5", TIMESTAMP as a UTC
// "YYYY-MM-DD hh:mm:ss"), YEAR as a number, strings as JSON strings (binary
// charset 63 or invalid UTF-8 as {"hex": "..."}), ENUM as its name or index, SET as
// an array of names or its bits, BIT as a number, JSON embedded, JSON diffs as
// [{"op": "replace", "path": "$.a", "value": ...}], GEOMETRY as
// {"srid": N, "wkb": "hex"}, VECTOR as an array.
void append_json(std::string& out, const Value& value);
// mysqlbinlog's type description for -vv comments, e.g. "INT", "VARSTRING(255)",
// "DECIMAL(10,2)", "TIMESTAMP(6)".
std::string column_type_text(const ColumnDef& column);

}  // namespace twinlog::protocol
