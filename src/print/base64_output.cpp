#include "src/print/base64_output.h"

#include <cstdint>

namespace twinlog {

void append_base64_lines(std::string& out, protocol::Bytes bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t n = bytes.size();
  out.reserve(out.size() + n / 3 * 4 + n / 57 + 6);
  std::size_t line = 0;
  for (std::size_t i = 0; i < n; i += 3) {
    if (line == 76) {
      out.push_back('\n');
      line = 0;
    }
    const uint32_t b0 = std::to_integer<uint8_t>(bytes[i]);
    const uint32_t b1 = i + 1 < n ? std::to_integer<uint8_t>(bytes[i + 1]) : 0;
    const uint32_t b2 = i + 2 < n ? std::to_integer<uint8_t>(bytes[i + 2]) : 0;
    const uint32_t c = (b0 << 16) | (b1 << 8) | b2;
    out.push_back(kAlphabet[(c >> 18) & 0x3f]);
    out.push_back(kAlphabet[(c >> 12) & 0x3f]);
    out.push_back(i + 1 < n ? kAlphabet[(c >> 6) & 0x3f] : '=');
    out.push_back(i + 2 < n ? kAlphabet[c & 0x3f] : '=');
    line += 4;
  }
  out.push_back('\n');
}

}  // namespace twinlog
