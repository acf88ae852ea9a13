#include "protocol/json_binary.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "protocol/decimal.h"
#include "protocol/json_text.h"
#include "protocol/temporal.h"

namespace twinlog::protocol {
namespace {

enum JsonType : uint8_t {
  kSmallObject = 0x00,
  kLargeObject = 0x01,
  kSmallArray = 0x02,
  kLargeArray = 0x03,
  kLiteral = 0x04,
  kInt16 = 0x05,
  kUint16 = 0x06,
  kInt32 = 0x07,
  kUint32 = 0x08,
  kInt64 = 0x09,
  kUint64 = 0x0a,
  kDouble = 0x0b,
  kString = 0x0c,
  kOpaque = 0x0f,
};
enum Literal : uint8_t { kNull = 0x00, kTrue = 0x01, kFalse = 0x02 };

// MySQL refuses documents nested deeper than 100; a little slack, and no stack overflow.
constexpr int kMaxDepth = 150;

// Field types that JSON opaque values render specially (MySQL's enum_field_types).
constexpr uint8_t kOpaqueTimestamp = 7, kOpaqueDate = 10, kOpaqueTime = 11, kOpaqueDateTime = 12,
                  kOpaqueVarString = 253, kOpaqueNewDecimal = 246;

// MySQL's base64 (mysys/base64.cc): standard alphabet, '=' padding, a newline
// after every 76 characters of output.
std::string base64(Bytes b) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t line = 0;
  for (std::size_t i = 0; i < b.size(); i += 3) {
    if (line == 76) {
      out += '\n';
      line = 0;
    }
    uint32_t v = std::to_integer<uint32_t>(b[i]) << 16;
    if (i + 1 < b.size()) v |= std::to_integer<uint32_t>(b[i + 1]) << 8;
    if (i + 2 < b.size()) v |= std::to_integer<uint32_t>(b[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < b.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < b.size() ? kAlphabet[v & 63] : '=';
    line += 4;
  }
  return out;
}

class JsonPrinter {
 public:
  JsonPrinter(std::string& out, Bytes doc, uint64_t base) : out_(out), doc_(doc), base_(base) {}

  bool document() {
    if (doc_.empty()) {
      out_ += "null";
      return true;
    }
    const uint8_t type = byte(0);
    return value(type, 1, doc_.size() - 1, 0);
  }
  const DecodeError& error() const { return error_; }

 private:
  uint8_t byte(std::size_t at) const { return std::to_integer<uint8_t>(doc_[at]); }

  bool fail(std::size_t at, std::string message) {
    error_ = DecodeError{base_ + at, "bad binary JSON: " + std::move(message)};
    return false;
  }
  bool need(std::size_t at, std::size_t n, std::size_t end, const char* what) {
    if (at <= end && end - at >= n) return true;
    return fail(at, std::string("truncated ") + what);
  }

  // Variable-length unsigned integer: up to 5 bytes, 7 bits each, low bits first.
  bool varlen(std::size_t& at, std::size_t end, uint64_t& v) {
    v = 0;
    for (int i = 0; i < 5; ++i) {
      if (at >= end) return fail(at, "truncated length");
      const uint8_t b = byte(at++);
      v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) return v <= 0xffffffffu || fail(at, "length too large");
    }
    return fail(at, "length longer than 5 bytes");
  }

  // A value of `type` whose bytes start at `at`; `end` bounds the enclosing container.
  bool value(uint8_t type, std::size_t at, std::size_t len, int depth) {
    const std::size_t end = at + len;
    switch (type) {
      case kSmallObject:
        return container(at, end, false, true, depth);
      case kLargeObject:
        return container(at, end, true, true, depth);
      case kSmallArray:
        return container(at, end, false, false, depth);
      case kLargeArray:
        return container(at, end, true, false, depth);
      case kLiteral:
        if (!need(at, 1, end, "literal")) return false;
        return literal(byte(at), at);
      case kInt16:
        if (!need(at, 2, end, "int16")) return false;
        out_ += std::to_string(static_cast<int16_t>(load_le16(doc_.data() + at)));
        return true;
      case kUint16:
        if (!need(at, 2, end, "uint16")) return false;
        out_ += std::to_string(load_le16(doc_.data() + at));
        return true;
      case kInt32:
        if (!need(at, 4, end, "int32")) return false;
        out_ += std::to_string(static_cast<int32_t>(load_le32(doc_.data() + at)));
        return true;
      case kUint32:
        if (!need(at, 4, end, "uint32")) return false;
        out_ += std::to_string(load_le32(doc_.data() + at));
        return true;
      case kInt64:
        if (!need(at, 8, end, "int64")) return false;
        out_ += std::to_string(static_cast<int64_t>(load_le64(doc_.data() + at)));
        return true;
      case kUint64:
        if (!need(at, 8, end, "uint64")) return false;
        out_ += std::to_string(load_le64(doc_.data() + at));
        return true;
      case kDouble: {
        if (!need(at, 8, end, "double")) return false;
        const uint64_t bits = load_le64(doc_.data() + at);
        double d;
        std::memcpy(&d, &bits, 8);
        out_ += json_double_text(d);
        return true;
      }
      case kString: {
        uint64_t n;
        if (!varlen(at, end, n)) return false;
        if (!need(at, n, end, "string")) return false;
        append_json_string(out_, as_chars(doc_.subspan(at, n)));
        return true;
      }
      case kOpaque:
        return opaque(at, end);
      default:
        return fail(at - 1, "unknown value type " + std::to_string(type));
    }
  }

  bool literal(uint8_t v, std::size_t at) {
    switch (v) {
      case kNull:
        out_ += "null";
        return true;
      case kTrue:
        out_ += "true";
        return true;
      case kFalse:
        out_ += "false";
        return true;
      default:
        return fail(at, "unknown literal " + std::to_string(v));
    }
  }

  bool opaque(std::size_t at, std::size_t end) {
    if (!need(at, 1, end, "opaque type")) return false;
    const uint8_t field_type = byte(at++);
    uint64_t n;
    if (!varlen(at, end, n)) return false;
    if (!need(at, n, end, "opaque value")) return false;
    const Bytes data = doc_.subspan(at, n);
    switch (field_type) {
      case kOpaqueNewDecimal: {
        if (n < 2) return fail(at, "opaque DECIMAL shorter than 2 bytes");
        const unsigned precision = std::to_integer<uint8_t>(data[0]);
        const unsigned scale = std::to_integer<uint8_t>(data[1]);
        auto text = decode_decimal(data.subspan(2), precision, scale, base_ + at + 2);
        if (!text) {
          error_ = text.error();
          return false;
        }
        out_ += *text;
        return true;
      }
      case kOpaqueDate:
      case kOpaqueTime:
      case kOpaqueDateTime:
      case kOpaqueTimestamp: {
        if (n < 8) return fail(at, "opaque temporal shorter than 8 bytes");
        const auto packed = static_cast<int64_t>(load_le64(data.data()));
        out_ += '"';
        if (field_type == kOpaqueTime) {
          out_ += format_time(time_from_packed(packed), 6);
        } else {
          const DateTimeValue t = datetime_from_packed(packed);
          if (field_type == kOpaqueDate) {
            out_ += format_date(DateValue{t.year, t.month, t.day});
          } else {
            out_ += format_datetime(t, 6);
          }
        }
        out_ += '"';
        return true;
      }
      case kOpaqueVarString:
        append_json_string(out_, as_chars(data));
        return true;
      default:
        append_json_string(out_, "base64:type" + std::to_string(field_type) + ":" + base64(data));
        return true;
    }
  }

  bool container(std::size_t at, std::size_t end, bool large, bool object, int depth) {
    if (depth >= kMaxDepth) return fail(at, "nested too deep");
    const std::size_t w = large ? 4 : 2;
    if (!need(at, 2 * w, end, object ? "object header" : "array header")) return false;
    const uint64_t count = load_le_n(doc_.data() + at, w);
    const uint64_t size = load_le_n(doc_.data() + at + w, w);
    if (size > end - at)
      return fail(at, "container size " + std::to_string(size) + " past its end");
    const std::size_t cend = at + size;
    const std::size_t key_entry = w + 2;
    const std::size_t value_entry = 1 + w;
    const uint64_t header = 2 * w + count * ((object ? key_entry : 0) + value_entry);
    if (header > size) return fail(at, "container entries past its end");

    out_ += object ? '{' : '[';
    for (uint64_t i = 0; i < count; ++i) {
      if (i) out_ += ", ";
      if (object) {
        const std::size_t ke = at + 2 * w + i * key_entry;
        const uint64_t koff = load_le_n(doc_.data() + ke, w);
        const uint16_t klen = load_le16(doc_.data() + ke + w);
        if (koff > size || klen > size - koff) return fail(ke, "key past its container");
        append_json_string(out_, as_chars(doc_.subspan(at + koff, klen)));
        out_ += ": ";
      }
      const std::size_t ve = at + 2 * w + (object ? count * key_entry : 0) + i * value_entry;
      const uint8_t type = byte(ve);
      const std::size_t field = ve + 1;
      switch (type) {
        case kLiteral:
          if (!literal(byte(field), field)) return false;
          continue;
        case kInt16:
          out_ += std::to_string(static_cast<int16_t>(load_le16(doc_.data() + field)));
          continue;
        case kUint16:
          out_ += std::to_string(load_le16(doc_.data() + field));
          continue;
        case kInt32:
          if (large) {
            out_ += std::to_string(static_cast<int32_t>(load_le32(doc_.data() + field)));
            continue;
          }
          break;
        case kUint32:
          if (large) {
            out_ += std::to_string(load_le32(doc_.data() + field));
            continue;
          }
          break;
        default:
          break;
      }
      const uint64_t voff = load_le_n(doc_.data() + field, w);
      if (voff >= size) return fail(field, "value offset past its container");
      if (!value(type, at + voff, cend - (at + voff), depth + 1)) return false;
    }
    out_ += object ? '}' : ']';
    return true;
  }

  std::string& out_;
  Bytes doc_;
  uint64_t base_;
  DecodeError error_;
};

}  // namespace

Result<bool> append_json_binary(std::string& out, Bytes doc, uint64_t offset) {
  JsonPrinter printer(out, doc, offset);
  if (!printer.document()) return printer.error();
  return true;
}

Result<JsonDiffValue> decode_json_diffs(Bytes diffs, uint64_t offset) {
  JsonDiffValue result;
  ByteReader r(diffs, offset);
  while (!r.at_end()) {
    JsonDiffValue::Diff diff;
    const uint64_t op_at = r.absolute();
    const uint8_t op = r.u8("JSON diff operation");
    if (op > JsonDiffValue::Diff::kRemove) {
      return DecodeError{op_at, "bad JSON diff operation " + std::to_string(op)};
    }
    diff.op = static_cast<JsonDiffValue::Diff::Op>(op);
    const uint64_t path_len = r.packed_int("JSON diff path length");
    diff.path = std::string(r.chars(path_len, "JSON diff path"));
    if (diff.op != JsonDiffValue::Diff::kRemove) {
      const uint64_t value_len = r.packed_int("JSON diff value length");
      const uint64_t value_at = r.absolute();
      const Bytes value = r.bytes(value_len, "JSON diff value");
      if (r.failed()) return r.error();
      auto text = append_json_binary(diff.value, value, value_at);
      if (!text) return text.error();
    }
    if (r.failed()) return r.error();
    result.diffs.push_back(std::move(diff));
  }
  return result;
}

std::string json_double_text(double d) {
  // Shortest round-trip digits and the decimal exponent, as dtoa() gives them.
  char sci[64];
  auto [end, ec] = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific);
  if (ec != std::errc()) return "0";
  std::string_view s(sci, static_cast<std::size_t>(end - sci));
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  const std::size_t e = s.find('e');
  if (e == std::string_view::npos) return "0";  // inf / nan: MySQL JSON cannot hold them
  std::string digits;
  for (char c : s.substr(0, e)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int decpt = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
  const int len = static_cast<int>(digits.size());

  // my_gcvt(MY_GCVT_ARG_DOUBLE, width 34): the 'f' format when it fits and the
  // number lies within 1e-15 .. 1e15 (or has more digits than its integer part).
  const int width = 34 - (negative ? 1 : 0);
  const int f_len = decpt <= 0 ? len - decpt + 2 : (decpt < len ? len + 1 : decpt);
  const bool fixed = f_len <= width && decpt >= -14 && (decpt <= 15 || len > decpt);

  std::string out;
  if (negative) out += '-';
  if (fixed) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (decpt < len) {
      out += digits.substr(0, static_cast<std::size_t>(decpt));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(decpt));
    } else {
      out += digits;
      out.append(static_cast<std::size_t>(decpt - len), '0');
    }
  } else {
    out += digits[0];
    if (len > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += std::to_string(decpt - 1);
  }
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

}  // namespace twinlog::protocol
