#include "protocol/json_text.h"

#include <cstdint>

#include "protocol/byte_scan.h"

namespace twinlog::protocol {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    i += byte_scan::clean_words(s, i, byte_scan::any_high);  // ASCII words
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
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
    std::size_t end = i + clean_words(s, i, [](uint64_t w) {
                        return any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\');
                      });
    while (end < s.size()) {
      const auto u = static_cast<unsigned char>(s[end]);
      if (u < 0x20 || u == '"' || u == '\\') break;
      ++end;
    }
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
  if (plain == s.size()) {
    out += '"';
    out.append(s);
    out += '"';
    return true;
  }
  if (!valid_utf8(s.substr(plain))) return false;
  append_json_string(out, s);
  return true;
}

}  // namespace twinlog::protocol
