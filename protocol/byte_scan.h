// Word-at-a-time tests over 8 bytes, for the renderers' scans of long strings
// (escape or quote only the rare special byte, copy the runs between in one go).
// The tests are the classic ones from "Bit Twiddling Hacks": each may say yes for
// a word without the byte it looks for (a borrow runs into the next byte), never
// no for a word with it, so a caller re-checks a flagged word byte by byte.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The length of the prefix of s that a JSON string can take as it is: ASCII with
// no control character, '"' or '\\'. SSE2 looks at 16 bytes at a time (as signed
// bytes, everything at or above 0x80 is below 0x20), words of 8 do the rest.
inline std::size_t plain_json_prefix(std::string_view s) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i special = _mm_or_si128(
        _mm_cmplt_epi8(v, space), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int mask = _mm_movemask_epi8(special)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  i += clean_words(s, i, [](uint64_t w) {
    return any_high(w) | any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\');
  });
  while (i < s.size()) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u >= 0x80 || u == '"' || u == '\\') break;
    ++i;
  }
  return i;
}

// The length of the run of ASCII bytes (below 0x80) in s from `from`.
inline std::size_t ascii_run(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (const int mask = _mm_movemask_epi8(v)) return i + static_cast<std::size_t>(__builtin_ctz(mask)) - from;
  }
#endif
  i += clean_words(s, i, any_high);
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i - from;
}

// The length of the run in s from `from` that a JSON string copies as it is: no
// control character, '"' or '\\' (bytes at or above 0x80 are part of the run).
inline std::size_t json_plain_run(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i below_space = _mm_set1_epi8(0x1f), quote = _mm_set1_epi8('"'),
                backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // v <= 0x1f (unsigned) exactly when min(v, 0x1f) == v.
    const __m128i special =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (const int mask = _mm_movemask_epi8(special)) return i + static_cast<std::size_t>(__builtin_ctz(mask)) - from;
  }
#endif
  i += clean_words(s, i, [](uint64_t w) { return any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\'); });
  while (i < s.size()) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u < 0x20 || u == '"' || u == '\\') break;
    ++i;
  }
  return i - from;
}

}  // namespace twinlog::protocol::byte_scan
