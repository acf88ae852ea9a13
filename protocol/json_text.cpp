#include "protocol/json_text.h"

#include <simdjson.h>

#include <cstring>

#include "protocol/byte_scan.h"

namespace twinlog::protocol {

// Strings of 64 bytes or more go to simdjson, which checks 64 bytes a step with the
// best kernel of this CPU and skips ASCII blocks whole. Below that its fixed cost
// (16 to 27 ns a call with its AVX-512 kernel) is more than the whole scalar check:
// 3 to 6 times more for 8 bytes (bench/RESULTS.md, "UTF-8 check").
bool valid_utf8(std::string_view s) {
  if (s.size() < 64) return valid_utf8_scalar(s);
  return simdjson::validate_utf8(s.data(), s.size());
}

// The well-formed sequences of Unicode's table 3-7: a lead byte C2..F4, then
// continuation bytes 80..BF, except that the second byte after E0 is A0..BF (no
// overlongs), after ED 80..9F (no surrogates), after F0 90..BF, after F4 80..8F
// (nothing above U+10FFFF). ASCII runs are skipped 16 bytes at a time.
bool valid_utf8_scalar(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](std::size_t i) { return (byte(i) & 0xc0) == 0x80; };
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const unsigned c = byte(i);
    if (c < 0x80) {
      i += byte_scan::ascii_run(s, i);
      continue;
    }
    if (c < 0xc2) return false;  // a continuation byte, or an overlong 2-byte lead
    if (c < 0xe0) {
      if (n - i < 2 || !continuation(i + 1)) return false;
      i += 2;
      continue;
    }
    if (c < 0xf0) {
      if (n - i < 3 || !continuation(i + 1) || !continuation(i + 2)) return false;
      const unsigned c1 = byte(i + 1);
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f)) return false;
      i += 3;
      continue;
    }
    if (c < 0xf5) {
      if (n - i < 4 || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3))
        return false;
      const unsigned c1 = byte(i + 1);
      if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) return false;
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}

// JSON string of text already known to be UTF-8: control characters, '"' and '\\'
// escaped, the runs between copied whole.
void append_json_string(std::string& out, std::string_view s) {
  using namespace byte_scan;
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t end = i + json_plain_run(s, i);
    out.append(s, i, end - i);
    if (end == s.size()) break;
    i = end;
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:  // the other control characters
        out += "\\u00";
        out += kHex[u >> 4];
        out += kHex[u & 15];
    }
  }
  out += '"';
}

bool append_json_string_if_utf8(std::string& out, std::string_view s) {
  const std::size_t plain = byte_scan::plain_json_prefix(s);
  if (plain == s.size()) {  // quotes and text in one step
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return true;
  }
  if (!valid_utf8(s.substr(plain))) return false;
  append_json_string(out, s);
  return true;
}

}  // namespace twinlog::protocol
