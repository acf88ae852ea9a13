#include "src/print/json_writer.h"

#include "protocol/json_text.h"

namespace twinlog {

void append_json_string(std::string& out, std::string_view text) {
  if (protocol::append_json_string_if_utf8(out, text)) return;
  // Not UTF-8 (a latin1 or binary name, a broken statement): each byte at or above
  // 0x80 stands for the code point of the same number (as Latin-1 reads it), so the
  // line stays valid JSON and no byte is lost.
  std::string as_utf8;
  as_utf8.reserve(text.size() * 2);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x80) {
      as_utf8.push_back(c);
    } else {
      as_utf8.push_back(static_cast<char>(0xc0 | (u >> 6)));
      as_utf8.push_back(static_cast<char>(0x80 | (u & 0x3f)));
    }
  }
  protocol::append_json_string(out, as_utf8);
}

}  // namespace twinlog
