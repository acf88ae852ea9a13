#include "protocol/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "protocol/byte_scan.h"
#include "protocol/decimal.h"
#include "protocol/json_binary.h"
#include "protocol/json_text.h"
#include "protocol/row_image.h"
#include "protocol/temporal.h"

namespace twinlog::protocol {
namespace {

constexpr uint8_t kMariaBlobCompressed = 140;
constexpr uint8_t kMariaVarcharCompressed = 141;
constexpr uint32_t kBinaryCharset = 63;

ColumnType effective_type(const ColumnDef& c) {
  return c.type == ColumnType::kString && c.real_type != ColumnType::kNull ? c.real_type : c.type;
}

// The value part of a length-prefixed cell.
Bytes after_prefix(Bytes cell, std::size_t prefix) {
  return cell.subspan(prefix);
}

std::size_t string_prefix(unsigned max_length) {
  return max_length < 256 ? 1 : 2;
}


Result<Value> decode_geometry(Bytes v, uint64_t offset) {
  if (v.empty()) return GeometryValue{};
  if (v.size() < 4) return DecodeError{offset, "GEOMETRY value shorter than its 4-byte SRID"};
  return GeometryValue{load_le32(v.data()), v.subspan(4)};
}

Result<Value> decode_vector(Bytes v, uint64_t offset) {
  if (v.size() % 4) {
    return DecodeError{
        offset, "VECTOR value of " + std::to_string(v.size()) + " bytes, not a multiple of 4"};
  }
  VectorValue out;
  out.values.reserve(v.size() / 4);
  for (std::size_t i = 0; i < v.size(); i += 4) {
    const uint32_t bits = load_le32(v.data() + i);
    float f;
    std::memcpy(&f, &bits, 4);
    out.values.push_back(f);
  }
  return out;
}

void append_hex(std::string& out, Bytes b) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t at = out.size();
  out.resize(at + b.size() * 2);
  char* p = out.data() + at;
  for (std::byte x : b) {
    const auto u = std::to_integer<uint8_t>(x);
    *p++ = kHex[u >> 4];
    *p++ = kHex[u & 15];
  }
}

// As mysqlbinlog's my_b_write_quoted: bytes below 0x20 as \xNN, all others as they are.
// The runs between those bytes are copied whole.
void append_quoted(std::string& out, std::string_view s) {
  using namespace byte_scan;
  static constexpr char kHex[] = "0123456789abcdef";
  out += '\'';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = i + clean_words(s, i, [](uint64_t w) { return any_below(w, 0x20); });
    while (end < s.size() && static_cast<unsigned char>(s[end]) > 0x1f) ++end;
    out.append(s, i, end - i);
    if (end == s.size()) break;
    const auto u = static_cast<unsigned char>(s[end]);
    out += "\\x";
    out += kHex[u >> 4];
    out += kHex[u & 15];
    i = end + 1;
  }
  out += '\'';
}

void append_bits(std::string& out, uint64_t bits, unsigned width) {
  out += "b'";
  for (unsigned i = width; i-- > 0;) out += ((bits >> i) & 1) ? '1' : '0';
  out += '\'';
}

// printf's %.<precision>g, through std::to_chars, which the standard defines as
// printf's conversion in the C locale, at a fraction of printf's cost.
std::string printf_g(double d, int precision) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, precision);
  if (ec != std::errc()) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    return buf;
  }
  return std::string(buf, end);
}


// Integers beyond 2^53 lose precision in many JSON readers: those go as strings.
constexpr uint64_t kJsonSafeInt = uint64_t{1} << 53;
// Appends an integer, or a float or double in its shortest round-trip form.
template <class T>
void append_number(std::string& out, T v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec == std::errc()) {
    out.append(buf, end);
  } else {
    out += '0';
  }
}
void append_json_int(std::string& out, int64_t v) {
  const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  if (magnitude > kJsonSafeInt) out += '"';
  append_number(out, v);
  if (magnitude > kJsonSafeInt) out += '"';
}
void append_json_uint(std::string& out, uint64_t v) {
  if (v > kJsonSafeInt) out += '"';
  append_number(out, v);
  if (v > kJsonSafeInt) out += '"';
}

// MySQL's mysqlbinlog form: the functions outermost-last, consecutive diffs of
// the same function sharing one call, values as JSON text.
const char* diff_function(const JsonDiffValue::Diff& d) {
  switch (d.op) {
    case JsonDiffValue::Diff::kReplace:
      return "JSON_REPLACE";
    case JsonDiffValue::Diff::kInsert:
      return !d.path.empty() && d.path.back() == ']' ? "JSON_ARRAY_INSERT" : "JSON_INSERT";
    case JsonDiffValue::Diff::kRemove:
      return "JSON_REMOVE";
  }
  return "JSON_REPLACE";
}
std::string json_diff_sql(const JsonDiffValue& v) {
  const std::string column = v.column ? "@" + std::to_string(v.column) : std::string("@json");
  const std::size_t n = v.diffs.size();
  std::string out;
  for (std::size_t i = n; i-- > 0;) {
    if (i == 0 || std::string_view(diff_function(v.diffs[i - 1])) != diff_function(v.diffs[i])) {
      out += diff_function(v.diffs[i]);
      out += '(';
    }
  }
  out += column;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& d = v.diffs[i];
    out += ", ";
    append_quoted(out, d.path);
    if (d.op != JsonDiffValue::Diff::kRemove) out += ", " + d.value;
    if (i + 1 == n || std::string_view(diff_function(v.diffs[i + 1])) != diff_function(d)) {
      out += ')';
    }
  }
  return out;
}
const char* diff_op_name(JsonDiffValue::Diff::Op op) {
  switch (op) {
    case JsonDiffValue::Diff::kReplace:
      return "replace";
    case JsonDiffValue::Diff::kInsert:
      return "insert";
    case JsonDiffValue::Diff::kRemove:
      return "remove";
  }
  return "replace";
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

namespace {
template <class Sink>
auto decode_cell(const ColumnDef& column, const CellLayout& layout, const Cell& cell, Sink&& sink)
    -> decltype(sink(NullValue{}));
// Hands a value out of decode_cell as a Result.
// The text of a DECIMAL as decode_cell hands it out: a view of its stack buffer,
// turned into a DecimalValue only by a sink that keeps values.
struct DecimalText {
  std::string_view text;
};
constexpr auto kToResult = [](auto&& value) -> Result<Value> {
  if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, DecimalText>) {
    return DecimalValue{std::string(value.text)};
  } else {
    return Result<Value>(std::forward<decltype(value)>(value));
  }
};
}  // namespace

Result<Value> decode_value(const ColumnDef& column, const Cell& cell) {
  return decode_cell(column, cell_layout(column), cell, kToResult);
}

namespace {
// decode_cell for a cell `reader` walked, with the layout the reader worked out.
template <class Sink>
auto decode_walked(const RowReader& reader, const Cell& cell, Sink&& sink)
    -> decltype(sink(NullValue{})) {
  if (cell.column >= reader.layouts().size()) {
    return DecodeError{cell.offset, "column " + std::to_string(cell.column + 1) +
                                        " is not one of the rows event's " +
                                        std::to_string(reader.layouts().size())};
  }
  return decode_cell(reader.table().columns[cell.column], reader.layouts()[cell.column], cell,
                     sink);
}

// Decodes the value of `cell` and hands it to `append` (one of the appenders), as
// its alternative's type, without a Value in between. Nothing is appended on error.
template <class Appender>
DecodeStatus decode_and_append(const RowReader& reader, const Cell& cell, Appender&& append) {
  return decode_walked(reader, cell, [&](auto&& value) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, Value>) {
      std::visit(append, value);
    } else {
      append(value);
    }
    return DecodeStatus{};
  });
}
}  // namespace

Result<Value> decode_value(const RowReader& reader, const Cell& cell) {
  return decode_walked(reader, cell, kToResult);
}

DecodeStatus decode_value_and_drop(const RowReader& reader, const Cell& cell) {
  return decode_walked(reader, cell, [](auto&&) { return DecodeStatus{}; });
}

namespace {
// The value of `cell`, handed to `sink` (which returns what decode_cell returns);
// errors go back as DecodeError, which that return type must take.
template <class Sink>
auto decode_cell(const ColumnDef& column, const CellLayout& layout, const Cell& cell, Sink&& sink)
    -> decltype(sink(NullValue{})) {
  if (cell.is_null) return sink(NullValue{});
  const Bytes b = cell.bytes;
  const uint64_t offset = cell.offset;
  // Re-check the length, so that a Cell built by hand cannot make us read past it.
  if (cell.partial_json) {
    if (b.size() < 4 || load_le32(b.data()) != b.size() - 4) {
      return DecodeError{offset, "partial JSON value length does not match its cell"};
    }
    auto diffs = decode_json_diffs(b.subspan(4), offset + 4);
    if (!diffs) return diffs.error();
    diffs->column = cell.column + 1;
    return sink(std::move(*diffs));
  }
  const std::size_t length = layout.length(b);
  if (length == CellLayout::kNoLength) return cell_length(column, b, offset).error();
  if (length != b.size()) {
    return DecodeError{offset, "cell of " + std::to_string(b.size()) + " bytes for a value of " +
                                   std::to_string(length)};
  }

  const auto raw_code = static_cast<uint8_t>(column.type);
  if (raw_code == kMariaBlobCompressed) {
    return sink(StringValue{after_prefix(b, column.meta), column.charset});
  }
  if (raw_code == kMariaVarcharCompressed) {
    return sink(StringValue{after_prefix(b, string_prefix(column.meta)), column.charset});
  }
  const unsigned meta = column.meta;
  switch (effective_type(column)) {
    // Each width its own load (a load of b.size() bytes would switch on it again).
    case ColumnType::kTiny:
      return sink(IntValue{std::to_integer<uint64_t>(b[0]), 1, column.is_unsigned});
    case ColumnType::kShort:
      return sink(IntValue{load_le16(b.data()), 2, column.is_unsigned});
    case ColumnType::kInt24:
      return sink(IntValue{load_le24(b.data()), 3, column.is_unsigned});
    case ColumnType::kLong:
      return sink(IntValue{load_le32(b.data()), 4, column.is_unsigned});
    case ColumnType::kLongLong:
      return sink(IntValue{load_le64(b.data()), 8, column.is_unsigned});
    case ColumnType::kYear: {
      const uint32_t v = std::to_integer<uint8_t>(b[0]);
      return sink(YearValue{v == 0 ? 0 : 1900 + v});
    }
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      if (meta == 4) {
        const uint32_t bits = load_le32(b.data());
        float f;
        std::memcpy(&f, &bits, 4);
        return sink(RealValue{f, true});
      } else {
        const uint64_t bits = load_le64(b.data());
        double d;
        std::memcpy(&d, &bits, 8);
        return sink(RealValue{d, false});
      }
    case ColumnType::kNull:
      return sink(NullValue{});
    case ColumnType::kDecimal:
      return sink(DecimalValue{std::string(as_chars(b))});
    case ColumnType::kNewDecimal: {
      DecimalBuffer buffer;
      auto text = decode_decimal_into(b, meta >> 8, meta & 0xff, offset, buffer);
      if (!text) return text.error();
      return sink(DecimalText{*text});
    }
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      return sink(decode_date(b));
    case ColumnType::kTime:
      return sink(decode_time(b));
    case ColumnType::kDateTime:
      return sink(decode_datetime(b));
    case ColumnType::kTimestamp:
      return sink(decode_timestamp(b));
    case ColumnType::kTimestamp2:
      return sink(decode_timestamp2(b, meta));
    case ColumnType::kDateTime2:
      return sink(decode_datetime2(b, meta));
    case ColumnType::kTime2:
      return sink(decode_time2(b, meta));
    case ColumnType::kBit: {
      const uint32_t width = (meta >> 8) * 8 + (meta & 0xff);
      return sink(BitValue{load_be_n(b.data(), b.size()), width});
    }
    case ColumnType::kEnum: {
      EnumValue e;
      e.index = static_cast<uint32_t>(load_le_n(b.data(), b.size()));
      if (!column.enum_values.empty()) {
        e.name_known = true;
        if (e.index >= 1 && e.index <= column.enum_values.size())
          e.name = column.enum_values[e.index - 1];
      }
      return sink(e);
    }
    case ColumnType::kSet: {
      SetValue s;
      s.bits = load_le_n(b.data(), b.size());
      s.width = static_cast<uint8_t>(b.size());
      if (!column.enum_values.empty()) {
        s.names_known = true;
        for (std::size_t i = 0; i < column.enum_values.size() && i < 64; ++i) {
          if ((s.bits >> i) & 1) s.names.push_back(column.enum_values[i]);
        }
      }
      return sink(std::move(s));
    }
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
      return sink(StringValue{after_prefix(b, string_prefix(meta)), column.charset});
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      return sink(StringValue{after_prefix(b, meta), column.charset});
    case ColumnType::kGeometry:
      {
        auto r = decode_geometry(after_prefix(b, meta), offset + meta);
        if (!r) return r.error();
        return sink(std::move(*r));
      }
    case ColumnType::kVector:
      {
        auto r = decode_vector(after_prefix(b, meta), offset + meta);
        if (!r) return r.error();
        return sink(std::move(*r));
      }
    case ColumnType::kJson: {
      JsonValue j;
      auto ok = append_json_binary(j.text, after_prefix(b, meta), offset + meta);
      if (!ok) return ok.error();
      return sink(std::move(j));
    }
    case ColumnType::kTypedArray:
    case ColumnType::kInvalid:
    case ColumnType::kBool:
      break;
  }
  return DecodeError{offset, "column type " + std::to_string(raw_code) + " has no value decoder"};
}
}  // namespace

std::string to_sql_text(const Value& value) {
  std::string out;
  append_sql_text(out, value);
  return out;
}

namespace {
// The sql_text_appender of each kind of value, appended to `out`.
auto sql_text_appender(std::string& out) {
  return Overloaded{
          [&](const NullValue&) { out += "NULL"; },
          [&](const IntValue& v) {
            if (v.is_unsigned.value_or(false)) {
              append_number(out, v.as_unsigned());
              return;
            }
            append_number(out, v.as_signed());
            if (!v.is_unsigned.has_value() && v.as_signed() < 0) {
              out += " (";
              append_number(out, v.as_unsigned());
              out += ')';
            }
          },
          [&](const RealValue& v) { out += v.is_float ? printf_g(v.value, 6) : printf_g(v.value, 20); },
          [&](const DecimalValue& v) { out += v.text; },
          [&](const DecimalText& v) { out += v.text; },
          [&](const DateValue& v) { append_date(out, v, ':', '\''); },
          [&](const TimeValue& v) { append_time(out, v, v.fsp, '\''); },
          [&](const DateTimeValue& v) { append_datetime(out, v, v.fsp, '\''); },
          [&](const TimestampValue& v) {
            append_number(out, v.seconds);
            if (v.fsp) {
              char buf[16];
              static constexpr uint32_t kDiv[] = {1000000, 100000, 10000, 1000, 100, 10, 1};
              std::snprintf(buf, sizeof buf, ".%0*u", static_cast<int>(v.fsp),
                            v.micros / kDiv[v.fsp > 6 ? 6 : v.fsp]);
              out += buf;
            }
          },
          [&](const YearValue& v) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04u", v.year);
            out += buf;
          },
          [&](const StringValue& v) { append_quoted(out, as_chars(v.bytes)); },
          [&](const EnumValue& v) { append_number(out, v.index); },
          [&](const SetValue& v) { append_bits(out, v.bits, v.width * 8u); },
          [&](const BitValue& v) { append_bits(out, v.bits, v.width); },
          [&](const JsonValue& v) { append_quoted(out, v.text); },
          [&](const JsonDiffValue& v) { out += json_diff_sql(v); },
          [&](const GeometryValue& v) {
            std::string bytes(4, '\0');
            for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((v.srid >> (8 * i)) & 0xff);
            bytes += as_chars(v.wkb);
            append_quoted(out, bytes);
          },
          [&](const VectorValue& v) {
            out += "'[";
            for (std::size_t i = 0; i < v.values.size(); ++i) {
              if (i) out += ',';
              append_number(out, v.values[i]);
            }
            out += "]'";
          },
      };
}
}  // namespace

void append_sql_text(std::string& out, const Value& value) {
  std::visit(sql_text_appender(out), value);
}

namespace {
// The json_appender of each kind of value, appended to `out`.
auto json_appender(std::string& out) {
  return Overloaded{
          [&](const NullValue&) { out += "null"; },
          [&](const IntValue& v) {
            if (v.is_unsigned.value_or(false)) {
              append_json_uint(out, v.as_unsigned());
            } else {
              append_json_int(out, v.as_signed());
            }
          },
          [&](const RealValue& v) {
            if (!std::isfinite(v.value)) {
              out += "null";
            } else {
              if (v.is_float) {
                append_number(out, static_cast<float>(v.value));
              } else {
                append_number(out, v.value);
              }
            }
          },
          [&](const DecimalValue& v) { append_json_string(out, v.text); },
          [&](const DecimalText& v) { append_json_string(out, v.text); },
          // Digits, '-', ':', ' ' and '.' need no JSON escaping.
          [&](const DateValue& v) { append_date(out, v, '-', '"'); },
          [&](const TimeValue& v) { append_time(out, v, v.fsp, '"'); },
          [&](const DateTimeValue& v) { append_datetime(out, v, v.fsp, '"'); },
          [&](const TimestampValue& v) { append_datetime(out, timestamp_to_datetime(v), v.fsp, '"'); },
          [&](const YearValue& v) { append_number(out, v.year); },
          [&](const StringValue& v) {
            const std::string_view s = as_chars(v.bytes);
            if (v.charset == kBinaryCharset || !append_json_string_if_utf8(out, s)) {
              out += "{\"hex\": \"";
              append_hex(out, v.bytes);
              out += "\"}";
            }
          },
          [&](const EnumValue& v) {
            if (v.name_known) {
              append_json_string(out, v.name);
            } else {
              append_number(out, v.index);
            }
          },
          [&](const SetValue& v) {
            if (!v.names_known) {
              append_json_uint(out, v.bits);
              return;
            }
            out += '[';
            for (std::size_t i = 0; i < v.names.size(); ++i) {
              if (i) out += ", ";
              append_json_string(out, v.names[i]);
            }
            out += ']';
          },
          [&](const BitValue& v) { append_json_uint(out, v.bits); },
          [&](const JsonValue& v) { out += v.text.empty() ? std::string("null") : v.text; },
          [&](const JsonDiffValue& v) {
            out += '[';
            for (std::size_t i = 0; i < v.diffs.size(); ++i) {
              const auto& d = v.diffs[i];
              if (i) out += ", ";
              out += "{\"op\": \"";
              out += diff_op_name(d.op);
              out += "\", \"path\": ";
              append_json_string(out, d.path);
              if (d.op != JsonDiffValue::Diff::kRemove) out += ", \"value\": " + d.value;
              out += '}';
            }
            out += ']';
          },
          [&](const GeometryValue& v) {
            out += "{\"srid\": " + std::to_string(v.srid) + ", \"wkb\": \"";
            append_hex(out, v.wkb);
            out += "\"}";
          },
          [&](const VectorValue& v) {
            out += '[';
            for (std::size_t i = 0; i < v.values.size(); ++i) {
              if (i) out += ", ";
              if (std::isfinite(v.values[i])) {
                append_number(out, v.values[i]);
              } else {
                out += "null";
              }
            }
            out += ']';
          },
      };
}
}  // namespace

void append_json(std::string& out, const Value& value) {
  std::visit(json_appender(out), value);
}

// mariadb-binlog's type names in -vv comments (log_event_print_value).
std::string column_type_text(const ColumnDef& column) {
  const auto raw_code = static_cast<uint8_t>(column.type);
  const unsigned meta = column.meta;
  auto blob_name = [](unsigned bytes) -> std::string {
    switch (bytes) {
      case 1:
        return "TINYBLOB/TINYTEXT";
      case 2:
        return "BLOB/TEXT";
      case 3:
        return "MEDIUMBLOB/MEDIUMTEXT";
      case 4:
        return "LONGBLOB/LONGTEXT";
      default:
        return "BLOB(" + std::to_string(bytes) + " length bytes)";
    }
  };
  if (raw_code == kMariaBlobCompressed) return blob_name(meta) + " COMPRESSED";
  if (raw_code == kMariaVarcharCompressed)
    return "VARSTRING(" + std::to_string(meta) + ") COMPRESSED";
  switch (effective_type(column)) {
    case ColumnType::kDecimal:
      return "DECIMAL";
    case ColumnType::kTiny:
      return "TINYINT";
    case ColumnType::kShort:
      return "SHORTINT";
    case ColumnType::kLong:
      return "INT";
    case ColumnType::kFloat:
      return "FLOAT";
    case ColumnType::kDouble:
      return "DOUBLE";
    case ColumnType::kNull:
      return "NULL";
    case ColumnType::kTimestamp:
      return "TIMESTAMP";
    case ColumnType::kLongLong:
      return "LONGINT";
    case ColumnType::kInt24:
      return "MEDIUMINT";
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      return "DATE";
    case ColumnType::kTime:
      return "TIME";
    case ColumnType::kDateTime:
      return "DATETIME";
    case ColumnType::kYear:
      return "YEAR";
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
      return "VARSTRING(" + std::to_string(meta) + ")";
    case ColumnType::kBit:
      return "BIT(" + std::to_string((meta >> 8) * 8 + (meta & 0xff)) + ")";
    case ColumnType::kTimestamp2:
      return "TIMESTAMP(" + std::to_string(meta) + ")";
    case ColumnType::kDateTime2:
      return "DATETIME(" + std::to_string(meta) + ")";
    case ColumnType::kTime2:
      return "TIME(" + std::to_string(meta) + ")";
    case ColumnType::kNewDecimal:
      return "DECIMAL(" + std::to_string(meta >> 8) + "," + std::to_string(meta & 0xff) + ")";
    case ColumnType::kEnum:
      return meta == 1 ? "ENUM(1 byte)" : "ENUM(" + std::to_string(meta) + " bytes)";
    case ColumnType::kSet:
      return "SET(" + std::to_string(meta) + " bytes)";
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      return blob_name(meta);
    case ColumnType::kString:
      return "STRING(" + std::to_string(meta) + ")";
    case ColumnType::kGeometry:
      return "GEOMETRY";
    case ColumnType::kJson:
      return "JSON";
    case ColumnType::kVector:
      return column.vector_dimensions ? "VECTOR(" + std::to_string(*column.vector_dimensions) + ")"
                                      : std::string("VECTOR");
    case ColumnType::kTypedArray:
      return "TYPED_ARRAY";
    case ColumnType::kInvalid:
      return "INVALID";
    case ColumnType::kBool:
      return "BOOL";
  }
  return "TYPE(" + std::to_string(raw_code) + ")";
}

DecodeStatus append_sql_text(std::string& out, const RowReader& reader, const Cell& cell) {
  return decode_and_append(reader, cell, sql_text_appender(out));
}

DecodeStatus append_json(std::string& out, const RowReader& reader, const Cell& cell) {
  return decode_and_append(reader, cell, json_appender(out));
}

}  // namespace twinlog::protocol
