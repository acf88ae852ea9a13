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

// The length of the run of s from `from` that holds no byte `Special` flags.
// Special tests the same bytes three ways: 16 at a time (SSE2, as a movemask), a
// word of 8 (which may flag a clean word, never miss a flagged one) and one byte.
template <class Special>
std::size_t run_without(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    if (const int mask = Special::sse2(v))
      return i + static_cast<std::size_t>(__builtin_ctz(mask)) - from;
  }
#endif
  i += clean_words(s, i, Special::word);
  while (i < s.size() && !Special::byte(static_cast<unsigned char>(s[i]))) ++i;
  return i - from;
}

// Bytes at or above 0x80.
struct NonAscii {
#if defined(__SSE2__)
  static int sse2(__m128i v) {
    return _mm_movemask_epi8(v);
  }
#endif
  static uint64_t word(uint64_t w) {
    return any_high(w);
  }
  static bool byte(unsigned char u) {
    return u >= 0x80;
  }
};

// What a JSON string escapes: control characters, '"' and '\\'.
struct JsonEscaped {
#if defined(__SSE2__)
  static int sse2(__m128i v) {
    // v <= 0x1f (unsigned) exactly when min(v, 0x1f) == v.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    return _mm_movemask_epi8(
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))));
  }
#endif
  static uint64_t word(uint64_t w) {
    return any_below(w, 0x20) | any_equal(w, '"') | any_equal(w, '\\');
  }
  static bool byte(unsigned char u) {
    return u < 0x20 || u == '"' || u == '\\';
  }
};

// Either of the two: what keeps a string from going into JSON as it is, unchecked.
struct JsonEscapedOrNonAscii {
#if defined(__SSE2__)
  static int sse2(__m128i v) {
    return NonAscii::sse2(v) | JsonEscaped::sse2(v);
  }
#endif
  static uint64_t word(uint64_t w) {
    return NonAscii::word(w) | JsonEscaped::word(w);
  }
  static bool byte(unsigned char u) {
    return NonAscii::byte(u) || JsonEscaped::byte(u);
  }
};

// The run of ASCII bytes in s from `from`.
inline std::size_t ascii_run(std::string_view s, std::size_t from) {
  return run_without<NonAscii>(s, from);
}
// The run in s from `from` that a JSON string copies as it is (UTF-8 included).
inline std::size_t json_plain_run(std::string_view s, std::size_t from) {
  return run_without<JsonEscaped>(s, from);
}
// The prefix of s that a JSON string takes as it is without a UTF-8 check: ASCII
// with nothing to escape.
inline std::size_t plain_json_prefix(std::string_view s) {
  return run_without<JsonEscapedOrNonAscii>(s, 0);
}

}  // namespace twinlog::protocol::byte_scan
