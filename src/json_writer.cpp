#include "src/json_writer.h"

#include "protocol/byte_scan.h"

namespace twinlog {
namespace {

// How many ASCII bytes from `from` on need no escaping: printable ones other than
// '"' and '\\', whole words at a time, then byte by byte.
std::size_t plain_ascii(std::string_view s, std::size_t from) {
  using namespace protocol::byte_scan;
  std::size_t i = from + clean_words(s, from, [](uint64_t w) {
    return any_high(w) | any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\');
  });
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
  }
  return i - from;
}

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n;
  uint32_t min;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) n = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0) n = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0) n = 4, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

void append_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xf]);
}

// How many bytes from `from` on are copied as they are: plain ASCII and valid
// UTF-8 sequences, up to the next byte that needs escaping.
std::size_t plain_run(std::string_view s, std::size_t from) {
  std::size_t i = from;
  for (;;) {
    i += plain_ascii(s, i);
    if (i == s.size() || static_cast<unsigned char>(s[i]) < 0x80) break;
    const std::size_t n = utf8_length(s, i);
    if (n == 0) break;
    i += n;
  }
  return i - from;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    if (const std::size_t run = plain_run(text, i)) {
      out.append(text.substr(i, run));
      i += run;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i++]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      // Other control characters, and bytes that are not UTF-8 (as Latin-1 code points).
      default: append_escape(out, c); break;
    }
  }
  out.push_back('"');
}

}  // namespace twinlog
