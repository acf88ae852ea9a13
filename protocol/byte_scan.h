// Word-at-a-time tests over 8 bytes, for the renderers' scans of long strings
// (escape or quote only the rare special byte, copy the runs between in one go).
// The tests are the classic ones from "Bit Twiddling Hacks": each may say yes for
// a word without the byte it looks for (a borrow runs into the next byte), never
// no for a word with it, so a caller re-checks a flagged word byte by byte.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace twinlog::protocol::byte_scan {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

inline uint64_t load_word(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
// Some byte of w has its top bit set (is >= 0x80).
constexpr uint64_t any_high(uint64_t w) {
  return w & kHigh;
}
// Some byte of w is below n (n <= 0x80); bytes >= 0x80 never count.
constexpr uint64_t any_below(uint64_t w, uint8_t n) {
  return (w - kOnes * n) & ~w & kHigh;
}
// Some byte of w equals c.
constexpr uint64_t any_equal(uint64_t w, char c) {
  const uint64_t x = w ^ (kOnes * static_cast<uint8_t>(c));
  return (x - kOnes) & ~x & kHigh;
}

// The length of the prefix of s[from..] of whole words none of whose bytes
// `special(word)` flags; the caller goes on byte by byte from there.
template <class Special>
std::size_t clean_words(std::string_view s, std::size_t from, Special special) {
  std::size_t i = from;
  while (i + 8 <= s.size() && !special(load_word(s.data() + i))) i += 8;
  return i - from;
}

}  // namespace twinlog::protocol::byte_scan
