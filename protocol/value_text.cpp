#include "protocol/value_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "protocol/byte_scan.h"
#include "protocol/cell_decoder.h"
#include "protocol/json_text.h"
#include "protocol/temporal.h"

namespace twinlog::protocol {
namespace {

using cell_decoding::DecimalText;

constexpr uint32_t kBinaryCharset = 63;

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
  // Built by append: "@" + std::to_string trips GCC 12's false -Wrestrict at -O3
  // (GCC bug 105651).
  const std::string column =
      v.column ? std::string("@").append(std::to_string(v.column)) : std::string("@json");
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

// Decodes the value of `cell` and hands it to `append` (one of the appenders), as
// its alternative's type, without a Value in between. Nothing is appended on error.
template <class Appender>
DecodeStatus decode_and_append(const RowReader& reader, const Cell& cell, Appender&& append) {
  return cell_decoding::decode_walked(reader, cell, [&](auto&& value) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, Value>) {
      std::visit(append, value);
    } else {
      append(value);
    }
    return DecodeStatus{};
  });
}

}  // namespace

std::string to_sql_text(const Value& value) {
  std::string out;
  append_sql_text(out, value);
  return out;
}

void append_sql_text(std::string& out, const Value& value) {
  std::visit(sql_text_appender(out), value);
}

void append_json(std::string& out, const Value& value) {
  std::visit(json_appender(out), value);
}

DecodeStatus append_sql_text(std::string& out, const RowReader& reader, const Cell& cell) {
  return decode_and_append(reader, cell, sql_text_appender(out));
}

DecodeStatus append_json(std::string& out, const RowReader& reader, const Cell& cell) {
  return decode_and_append(reader, cell, json_appender(out));
}

}  // namespace twinlog::protocol
