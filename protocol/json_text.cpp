#include "protocol/json_text.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "protocol/byte_scan.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TWINLOG_UTF8_AVX2 1
#endif

namespace twinlog::protocol {

#ifdef TWINLOG_UTF8_AVX2
namespace {

// UTF-8 checked 32 bytes at a time, after Keiser and Lemire, "Validating UTF-8 in
// less than one instruction per byte" (2021). Three table lookups, by the high and
// low nibble of the previous byte and the high nibble of this one, each give the
// set of errors the pair could be; their intersection is the errors it is. The bits:
constexpr uint8_t kTooShort = 1 << 0;   // a lead, then no continuation
constexpr uint8_t kTooLong = 1 << 1;    // ASCII, then a continuation
constexpr uint8_t kOverlong3 = 1 << 2;  // E0 80..9F
constexpr uint8_t kTooLarge = 1 << 3;   // F4 90..BF, F5.. 90..BF (above U+10FFFF)
constexpr uint8_t kSurrogate = 1 << 4;  // ED A0..BF
constexpr uint8_t kOverlong2 = 1 << 5;  // C0..C1, then a continuation
constexpr uint8_t kTooLarge1000 = 1 << 6;  // F5.. 80..8F
constexpr uint8_t kOverlong4 = 1 << 6;     // F0 80..8F (shares the bit: F0 vs F5..)
constexpr uint8_t kTwoConts = 1 << 7;      // a continuation after a continuation
// Errors whose second byte alone decides them, whatever the first's low nibble.
constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

using Table = std::array<uint8_t, 16>;
constexpr Table kByte1High = {
    kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0_______
    kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 10______
    kTooShort | kOverlong2,                                                          // 1100____
    kTooShort,                                                                       // 1101____
    kTooShort | kOverlong3 | kSurrogate,                                             // 1110____
    kTooShort | kTooLarge | kTooLarge1000 | kOverlong4};                             // 1111____
constexpr uint8_t kAbove4 = kCarry | kTooLarge | kTooLarge1000;  // low nibble 5.. of a 4-byte lead
constexpr Table kByte1Low = {
    kCarry | kOverlong3 | kOverlong2 | kOverlong4,  // ____0000
    kCarry | kOverlong2,                            // ____0001
    kCarry, kCarry,                                 // ____001_
    kCarry | kTooLarge,                             // ____0100
    kAbove4, kAbove4, kAbove4, kAbove4, kAbove4, kAbove4, kAbove4, kAbove4,  // ____0101..1100
    kAbove4 | kSurrogate,                                                    // ____1101
    kAbove4, kAbove4};                                                       // ____111_
constexpr Table kByte2High = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,  // 1000____
    kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                   // 1001____
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // 1010____
    kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // 1011____
    kTooShort, kTooShort, kTooShort, kTooShort};

__attribute__((target("avx2"))) __m256i load_table(const Table& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

template <int N>
__attribute__((target("avx2"))) __m256i previous(__m256i input, __m256i prev_input) {
  // The 32 bytes that end N bytes before the end of `input`.
  return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(prev_input, input, 0x21), 16 - N);
}

// The error bits of the 32 bytes `input`, which follow `prev_input`.
__attribute__((target("avx2"))) __m256i utf8_errors(__m256i input, __m256i prev_input) {
  const __m256i byte_1_high = load_table(kByte1High);
  const __m256i byte_1_low = load_table(kByte1Low);
  const __m256i byte_2_high = load_table(kByte2High);
  const __m256i low_nibble = _mm256_set1_epi8(0x0f);
  const __m256i prev1 = previous<1>(input, prev_input);
  const __m256i special = _mm256_and_si256(
      _mm256_and_si256(
          _mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble)),
          _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, low_nibble))),
      _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble)));
  // Two or three bytes after a lead of 3 or 4 bytes a continuation must come: there
  // kTwoConts is expected, anywhere else it is an error.
  const __m256i third = _mm256_subs_epu8(previous<2>(input, prev_input), _mm256_set1_epi8(static_cast<char>(0xe0 - 1)));
  const __m256i fourth = _mm256_subs_epu8(previous<3>(input, prev_input), _mm256_set1_epi8(static_cast<char>(0xf0 - 1)));
  const __m256i must_continue = _mm256_and_si256(
      _mm256_cmpgt_epi8(_mm256_or_si256(third, fourth), _mm256_setzero_si256()),
      _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must_continue, special);
}

__attribute__((target("avx2"))) bool valid_utf8_avx2(std::string_view s) {
  __m256i prev = _mm256_setzero_si256(), error = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 32 <= s.size(); i += 32) {
    const __m256i input = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
    error = _mm256_or_si256(error, utf8_errors(input, prev));
    prev = input;
  }
  // The rest, followed by zeros: at least one zero byte comes after the text, which
  // is where a sequence cut short at the end shows.
  alignas(32) char tail[32] = {};
  std::memcpy(tail, s.data() + i, s.size() - i);
  error = _mm256_or_si256(error, utf8_errors(_mm256_load_si256(reinterpret_cast<const __m256i*>(tail)), prev));
  return _mm256_testz_si256(error, error) != 0;
}

// Read during static initialisation, which may come before libgcc's own: ask it to
// look at the CPU first.
const bool kHaveAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));

}  // namespace
#endif

// The well-formed sequences of Unicode's table 3-7: a lead byte C2..F4, then
// continuation bytes 80..BF, except that the second byte after E0 is A0..BF (no
// overlongs), after ED 80..9F (no surrogates), after F0 90..BF, after F4 80..8F
// (nothing above U+10FFFF). ASCII runs are skipped 16 bytes at a time.
bool valid_utf8(std::string_view s) {
#ifdef TWINLOG_UTF8_AVX2
  if (s.size() >= 64 && kHaveAvx2) return valid_utf8_avx2(s);
#endif
  return valid_utf8_scalar(s);
}

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
      if (n - i < 4 || !continuation(i + 1) || !continuation(i + 2) || !continuation(i + 3)) return false;
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
