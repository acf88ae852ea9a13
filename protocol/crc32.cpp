#include "protocol/crc32.h"

#include <zlib.h>

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace twinlog::protocol {

uint32_t crc32_update_zlib(uint32_t crc, Bytes bytes) {
  uLong c = crc;
  // zlib takes uInt lengths; events are at most 1 GiB, but stay general.
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 1u << 30);
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes = bytes.subspan(n);
  }
  return static_cast<uint32_t>(c);
}

#if defined(__x86_64__)
namespace {

#define TWINLOG_PCLMUL __attribute__((target("pclmul,sse4.1")))

TWINLOG_PCLMUL inline __m128i load(const std::byte* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// `a` carried over the next block's distance and added to it: its low half times
// k's low half, its high half times k's high half.
TWINLOG_PCLMUL inline __m128i fold(__m128i a, __m128i k, __m128i next) {
  return _mm_xor_si128(
      _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00), _mm_clmulepi64_si128(a, k, 0x11)), next);
}

// Folding with carry-less multiplication, after Gopal et al., "Fast CRC Computation
// for Generic Polynomials Using PCLMULQDQ Instruction" (Intel, 2009), in its
// bit-reflected form (as in the Linux kernel's crc32-pclmul and Chromium's zlib).
// Four 128-bit lanes fold 64 bytes a step; they are folded into one, which takes
// the remaining 16-byte blocks; 128 bits reduce to 64, then Barrett reduction
// gives the 32-bit remainder. Works on the inverted CRC register, like zlib's
// inner loop. `len` is a multiple of 16 and at least 64.
// Binlogs come from the page cache, not the CPU caches: the fold asks for the bytes
// this far ahead so that it waits less on memory (the hardware prefetchers stop
// at every 4 KiB page). A prefetch of an address past the end is harmless; it is
// computed as an integer, not as a pointer past the buffer.
constexpr std::size_t kPrefetchAhead = 2048;

TWINLOG_PCLMUL uint32_t fold_crc32(uint32_t crc, const std::byte* p, std::size_t len) {
  // x^(4*128+32) mod P, x^(4*128-32) mod P: fold by 512 bits.
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  // x^(128+32) mod P, x^(128-32) mod P: fold by 128 bits.
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  // x^64 mod P: 64 bits to 32.
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  // P(x) and floor(x^64 / P(x)), reflected, for the Barrett reduction.
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

  __m128i x1 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(p + 16);
  __m128i x3 = load(p + 32);
  __m128i x4 = load(p + 48);
  p += 64;
  len -= 64;
  for (; len >= 64; p += 64, len -= 64) {
    _mm_prefetch(reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(p) + kPrefetchAhead),
                 _MM_HINT_T0);
    x1 = fold(x1, k1k2, load(p));
    x2 = fold(x2, k1k2, load(p + 16));
    x3 = fold(x3, k1k2, load(p + 32));
    x4 = fold(x4, k1k2, load(p + 48));
  }
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; len >= 16; p += 16, len -= 16) x1 = fold(x1, k3k4, load(p));

  // 128 bits to 64: the low half, times k4, folded onto the high half.
  __m128i x2r = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2r);
  // 64 bits to 32.
  x2r = _mm_srli_si128(x1, 4);
  x1 = _mm_and_si128(x1, low32);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k5, 0x00), x2r);
  // Barrett reduction to the 32-bit remainder.
  x2r = _mm_and_si128(x1, low32);
  x2r = _mm_clmulepi64_si128(x2r, poly, 0x10);
  x2r = _mm_and_si128(x2r, low32);
  x2r = _mm_clmulepi64_si128(x2r, poly, 0x00);
  x1 = _mm_xor_si128(x1, x2r);
  return static_cast<uint32_t>(_mm_extract_epi32(x1, 1));
}

#undef TWINLOG_PCLMUL

bool cpu_has_pclmul() {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return has;
}

}  // namespace

uint32_t crc32_update(uint32_t crc, Bytes bytes) {
  // Below a few blocks zlib's table loop is as quick and needs no setup.
  constexpr std::size_t kFoldMinimum = 64;
  if (bytes.size() < kFoldMinimum || !cpu_has_pclmul()) return crc32_update_zlib(crc, bytes);
  const std::size_t folded = bytes.size() & ~std::size_t{15};
  crc = ~fold_crc32(~crc, bytes.data(), folded);
  return crc32_update_zlib(crc, bytes.subspan(folded));
}
#else
uint32_t crc32_update(uint32_t crc, Bytes bytes) {
  return crc32_update_zlib(crc, bytes);
}
#endif

}  // namespace twinlog::protocol
