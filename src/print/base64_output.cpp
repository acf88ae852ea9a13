#include "src/print/base64_output.h"

#include <cstdint>

namespace twinlog {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Encodes `n` bytes (a multiple of 3) at `in` to 4 characters per 3 bytes at `to`.
char* encode_groups(const std::byte* in, std::size_t n, char* to) {
  for (std::size_t i = 0; i < n; i += 3) {
    const uint32_t c = (std::to_integer<uint32_t>(in[i]) << 16) |
                       (std::to_integer<uint32_t>(in[i + 1]) << 8) |
                       std::to_integer<uint32_t>(in[i + 2]);
    *to++ = kAlphabet[(c >> 18) & 0x3f];
    *to++ = kAlphabet[(c >> 12) & 0x3f];
    *to++ = kAlphabet[(c >> 6) & 0x3f];
    *to++ = kAlphabet[c & 0x3f];
  }
  return to;
}

}  // namespace

// Whole lines of 57 bytes (76 characters) first, written in place into room
// made once: the text of a 1 GiB binlog is 1.4 GB of base64.
void append_base64_lines(std::string& out, protocol::Bytes bytes) {
  const std::size_t n = bytes.size();
  const std::size_t groups = (n + 2) / 3;
  const std::size_t breaks = groups == 0 ? 0 : (groups - 1) / 19;
  const std::size_t start = out.size();
  out.resize(start + groups * 4 + breaks + 1);
  char* to = out.data() + start;
  const std::byte* in = bytes.data();
  std::size_t left = n;
  while (left > 57) {
    to = encode_groups(in, 57, to);
    *to++ = '\n';
    in += 57;
    left -= 57;
  }
  const std::size_t whole = left / 3 * 3;
  to = encode_groups(in, whole, to);
  in += whole;
  left -= whole;
  if (left > 0) {
    const uint32_t b0 = std::to_integer<uint32_t>(in[0]);
    const uint32_t b1 = left > 1 ? std::to_integer<uint32_t>(in[1]) : 0;
    const uint32_t c = (b0 << 16) | (b1 << 8);
    *to++ = kAlphabet[(c >> 18) & 0x3f];
    *to++ = kAlphabet[(c >> 12) & 0x3f];
    *to++ = left > 1 ? kAlphabet[(c >> 6) & 0x3f] : '=';
    *to++ = '=';
  }
  *to = '\n';
}

}  // namespace twinlog
